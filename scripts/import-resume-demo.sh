#!/usr/bin/env bash
# Proof that `import` survives kill -9: generate N rows (plus a few bad ones), import them into a
# scratch database, kill -9 the import half-way, run it again, and compare the register with a
# reference database that imported the same file without interruption. Prints PASS or FAIL.
#
#   ConnectionStrings__Registry='Host=...;Port=...;Username=...;Password=...' scripts/import-resume-demo.sh [N]
#
# Both scratch databases (registry_imp_resume_*) are dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50000}
source scripts/scratch-db.sh

WORK=$(mktemp -d)
RESUMED=registry_imp_resume_$$
REFERENCE=registry_imp_resume_ref_$$
cleanup() {
  drop_db "$RESUMED"
  drop_db "$REFERENCE"
  rm -rf "$WORK"
}
trap cleanup EXIT
sql postgres "CREATE DATABASE $RESUMED"
sql postgres "CREATE DATABASE $REFERENCE"

FILE=$WORK/register.csv
dotnet "$DLL" generate --citizens "$N" --out "$FILE" >/dev/null
second=$(sed -n 2p "$FILE")
{
  echo "1234567890123,Bad,Number,1970-01-01,FEMALE,CITIZEN,1 Oak St,Brits,NW372,NorthWest,0250,XBAD1,HEAD,0,"
  echo "${second/,H00000001,/,XDUP1,}"
  echo "too,few,columns"
} >>"$FILE"
echo "Generated $N citizens and 3 bad rows in $FILE."

export REGISTRY_PLAIN_PROGRESS=1
echo "Reference: an uninterrupted import."
ConnectionStrings__Registry=$(with_db "$REFERENCE") dotnet "$DLL" import "$FILE" --rejects "$WORK/ref.rejects.csv" 2>/dev/null | grep -E "rows in|caught up"

echo "Interrupted: kill -9 once about half the citizens are in."
ConnectionStrings__Registry=$(with_db "$RESUMED") dotnet "$DLL" import "$FILE" --rejects "$WORK/run1.rejects.csv" >"$WORK/run1.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  have=$(sql "$RESUMED" "SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_doc_citizen" 2>/dev/null || echo 0)
  if [ "${have:-0}" -ge $((N / 2)) ]; then kill -9 "$pid"; echo "  killed (kill -9) with $have citizens in the register"; break; fi
  sleep 0.2
done
wait "$pid" 2>/dev/null || true
echo "Re-run:"
ConnectionStrings__Registry=$(with_db "$RESUMED") dotnet "$DLL" import "$FILE" --rejects "$WORK/run2.rejects.csv" 2>/dev/null | grep -E "rows in|caught up"

# What the register holds, as comparable lines.
state() {
  sql "$1" "SELECT 'citizens ' || count(*) || ', distinct ID numbers ' || count(DISTINCT data->>'IdNumber') FROM ${REGISTRY_SCHEMA}.mt_doc_citizen"
  sql "$1" "SELECT 'ID numbers md5 ' || md5(string_agg(data->>'IdNumber', ',' ORDER BY data->>'IdNumber')) FROM ${REGISTRY_SCHEMA}.mt_doc_citizen"
  sql "$1" "SELECT 'households ' || count(*) FROM ${REGISTRY_SCHEMA}.mt_doc_household"
  sql "$1" "SELECT 'events ' || type || ' ' || count(*) FROM ${REGISTRY_SCHEMA}.mt_events WHERE type <> 'programme_parameters_published' GROUP BY type ORDER BY type"
  sql "$1" "SELECT 'streams whose version differs from their event count ' || count(*) FROM ${REGISTRY_SCHEMA}.mt_streams s WHERE s.version <> (SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_events e WHERE e.stream_id = s.id)"
  sql "$1" "SELECT 'municipal households (async) ' || count(*) FROM ${REGISTRY_SCHEMA}.mt_doc_municipalhousehold"
}
state "$REFERENCE" >"$WORK/reference.txt"
state "$RESUMED" >"$WORK/resumed.txt"
valid=$(( N - $(tail -n +2 "$WORK/ref.rejects.csv" | wc -l) + 3 ))
echo "Register after kill -9 and re-run:"
sed 's/^/  /' "$WORK/resumed.txt"

ok=1
diff -u "$WORK/reference.txt" "$WORK/resumed.txt" >/dev/null || { echo "differs from the uninterrupted reference:"; diff -u "$WORK/reference.txt" "$WORK/resumed.txt" || true; ok=0; }
grep -q "^citizens $valid, distinct ID numbers $valid\$" "$WORK/resumed.txt" || { echo "expected $valid citizens (the file's valid rows), once each"; ok=0; }
grep -q "^streams whose version differs from their event count 0\$" "$WORK/resumed.txt" || ok=0
grep -q "^INVALID_ID_NUMBER\|,INVALID_ID_NUMBER," "$WORK/run2.rejects.csv" || { echo "the re-run did not report the bad ID number"; ok=0; }
[ $ok = 1 ] && echo "PASS: every valid row is in the register exactly once; nothing lost, nothing doubled." || { echo "FAIL"; exit 1; }
