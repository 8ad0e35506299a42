#!/usr/bin/env bash
# Rebuilds the offline GraphiQL bundle into Registry.Api/wwwroot/graphiql/.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node build.mjs ../../Registry.Api/wwwroot/graphiql
