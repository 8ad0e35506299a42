#!/usr/bin/env bash
# Import benchmark: bulk import events/s against pgbench inserting rows of the same size in batches
# of the same size into a scratch table shaped like mt_events, on the same server, in the same run.
#
#   ConnectionStrings__Registry='Host=...;Port=...;Username=...;Password=...' bench/import.sh [ROWS] [SECONDS]
#
# Prints a markdown table (also written to bench/results/import-latest.md). The scratch database
# (registry_imp_bench_*) is dropped at the end. Target: import events/s / pgbench rows/s >= 0.3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
SECONDS_PER_PGBENCH=${2:-20}
source scripts/scratch-db.sh
PGBENCH=$(command -v pgbench || echo $PG_BIN/pgbench)

DB=registry_imp_bench_$$
WORK=$(mktemp -d)
trap 'drop_db "$DB"; rm -rf "$WORK"' EXIT
sql postgres "CREATE DATABASE $DB"

dotnet "$DLL" generate --citizens "$ROWS" --out "$WORK/register.csv" >/dev/null
# The schema first (a no-op import of the header), so the timed run measures the import only.
head -1 "$WORK/register.csv" >"$WORK/empty.csv"
ConnectionStrings__Registry=$(with_db "$DB") REGISTRY_PLAIN_PROGRESS=1 dotnet "$DLL" import "$WORK/empty.csv" --no-catch-up >/dev/null
# The import's figures as data (--json): one JSON object on standard output.
ConnectionStrings__Registry=$(with_db "$DB") REGISTRY_PLAIN_PROGRESS=1 dotnet "$DLL" import "$WORK/register.csv" --no-catch-up --no-duplicate-check --json 2>/dev/null >"$WORK/import.json"
import_seconds=$(jq -r '.seconds * 10 | round / 10' "$WORK/import.json")
import_events=$(jq -r .events "$WORK/import.json")
import_rows_s=$(jq -r '.rowsPerSecond | floor' "$WORK/import.json")
import_events_s=$(jq -r '.eventsPerSecond | floor' "$WORK/import.json")
import_peak_mb=$(jq -r .importPeakWorkingSetMb "$WORK/import.json")

# What an imported event weighs, and how many go into one import transaction.
read -r row_bytes data_bytes header_bytes <<<"$(sql "$DB" "SELECT avg(pg_column_size(e.*))::int, avg(pg_column_size(data))::int, avg(pg_column_size(headers))::int FROM ${REGISTRY_SCHEMA}.mt_events e WHERE correlation_id LIKE 'import-%'" | tr '|' ' ')"
per_tx=$(sql "$DB" "SELECT (count(*) / count(DISTINCT correlation_id))::int FROM ${REGISTRY_SCHEMA}.mt_events WHERE correlation_id LIKE 'import-%'")

# A scratch table like mt_events (same columns, primary key and unique stream/version index).
sql "$DB" "CREATE TABLE bench_events (seq_id bigserial PRIMARY KEY, id uuid NOT NULL, stream_id uuid, version bigint NOT NULL, data jsonb NOT NULL,
  type varchar(500) NOT NULL, timestamp timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT '*DEFAULT*', mt_dotnet_type varchar,
  correlation_id varchar, causation_id varchar, headers jsonb, user_name varchar, is_archived bool DEFAULT false, UNIQUE (stream_id, version))"
# jsonb of a given size: a string of n characters takes about n + 8 bytes.
cat >"$WORK/insert.sql" <<'SQL'
INSERT INTO bench_events (id, stream_id, version, data, type, mt_dotnet_type, correlation_id, headers, user_name)
SELECT gen_random_uuid(), gen_random_uuid(), 1, jsonb_build_object('p', repeat('x', :datalen)), 'citizen_registered',
       'Registry.Domain.Citizens.CitizenRegistered, Registry.Domain', 'import-' || gen_random_uuid(),
       jsonb_build_object('h', repeat('y', :headerlen)), 'system:import'
FROM generate_series(1, :batch);
SQL
pgbench_rows() {
  "$PGBENCH" -n -d "$DB" -f "$WORK/insert.sql" -c "$1" -j "$1" -T "$SECONDS_PER_PGBENCH" \
    -D datalen=$((data_bytes - 12)) -D headerlen=$((header_bytes - 12)) -D batch="$per_tx" 2>/dev/null |
    awk -v b="$per_tx" '/^tps/ {printf "%.0f", $3 * b}'
}
pg1=$(pgbench_rows 1)
pg_row_bytes=$(sql "$DB" "SELECT avg(pg_column_size(b.*))::int FROM bench_events b")
pg2=$(pgbench_rows 2)
ratio1=$(awk -v a="$import_events_s" -v b="$pg1" 'BEGIN{printf "%.2f", a/b}')
ratio2=$(awk -v a="$import_events_s" -v b="$pg2" 'BEGIN{printf "%.2f", a/b}')

mkdir -p bench/results
{
  echo "### Import vs pgbench ($(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(sql postgres 'SHOW server_version'))"
  echo
  echo "| measure | value |"
  echo "| --- | --- |"
  echo "| rows imported | $ROWS in ${import_seconds} s ($import_rows_s rows/s) |"
  echo "| events written | $import_events ($import_events_s events/s) |"
  echo "| average event row | $row_bytes bytes (data $data_bytes, headers $header_bytes); $per_tx events per import transaction |"
  echo "| pgbench, 1 client, $per_tx-row INSERTs of ~$pg_row_bytes bytes | $pg1 rows/s |"
  echo "| pgbench, 2 clients, same | $pg2 rows/s |"
  echo "| **ratio** import events/s ÷ pgbench rows/s (1 client / 2 clients) | **$ratio1** / **$ratio2** (target ≥ 0.3) |"
} | tee bench/results/import-latest.md
# The same figures for bench/run.sh, which puts them in its one table.
cat >bench/results/import-latest.json <<JSON
{"rows": $ROWS, "seconds": $import_seconds, "events": $import_events, "eventsPerSecond": $import_events_s, "eventsPerTransaction": $per_tx,
 "eventRowBytes": $row_bytes, "pgbenchRowsPerSecond1": $pg1, "pgbenchRowsPerSecond2": $pg2, "importerPeakMb": ${import_peak_mb:-0}}
JSON
