#!/usr/bin/env bash
# scripts/codegen.sh - regenerate the message handlers' code in Registry.Api/Internal/Generated.
#
# Run it after changing a command or a handler's signature, then commit the result. The old code is
# removed first: generated code that no longer compiles would stop the build that writes the new code.
# Needs the private cluster's connection string (scripts/postgres.sh env), like every verb.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/postgres.sh env)"
rm -rf Registry.Api/Internal/Generated
dotnet build Registry.Api -c Debug -nologo -v quiet
cd Registry.Api
ASPNETCORE_ENVIRONMENT=Development dotnet bin/Debug/net10.0/Registry.Api.dll codegen write | grep -c "Wrote generated code file" | xargs printf 'codegen: %s files written to Registry.Api/Internal/Generated\n'
