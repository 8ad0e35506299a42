#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL: the project's private cluster
# (started if needed), or the server named by ConnectionStrings__Registry if you set it.
# Each run creates its own database and drops it afterwards.
set -euo pipefail
cd "$(dirname "$0")"
# An assignment, not eval "$(…)": a failed database step must stop the script here.
pg_env="$(scripts/postgres.sh env)" || { echo "$0: the database step failed (see above)" >&2; exit 1; }
eval "$pg_env"
export ConnectionStrings__Registry
dotnet test Registry.sln -c Release "$@"
