#!/usr/bin/env bash
# One command: starts PostgreSQL (private cluster, or yours via ConnectionStrings__Registry), builds,
# seeds the benchmark population once per size, runs the API as its own process, measures it beside
# pgbench in the same run, and prints the table (also in bench/results/latest.md and .json).
set -euo pipefail
cd "$(dirname "$0")/.."
# An assignment, not eval "$(…)": a failed database step must stop the script here.
pg_env="$(scripts/postgres.sh env)" || { echo "$0: the database step failed (see above)" >&2; exit 1; }
eval "$pg_env"
export ConnectionStrings__Registry
dotnet build Registry.Api -c Release -nologo -v quiet
dotnet build bench/Registry.Bench -c Release -nologo -v quiet
dotnet bench/Registry.Bench/bin/Release/net10.0/Registry.Bench.dll "$@"
