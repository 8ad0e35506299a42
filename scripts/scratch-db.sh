# Sourced by bench/import.sh and scripts/import-resume-demo.sh (from the repository root): psql on the
# server named by ConnectionStrings__Registry, scratch databases on it, and the built Registry.Api.dll.
: "${ConnectionStrings__Registry:?set ConnectionStrings__Registry to a server connection string (scripts/postgres.sh env prints one)}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_BIN=/usr/lib/postgresql/15/bin
PSQL=$(command -v psql || echo $PG_BIN/psql)
DLL=Registry.Api/bin/Release/net10.0/Registry.Api.dll
# Outside Development the service needs a checkpoint key of its own; scratch databases get a throwaway one.
export Integrity__CheckpointKey="${Integrity__CheckpointKey:-$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')}"
# Likewise the keys that wrap each person's data key and key the blind indexes (32 bytes, base64).
export Registry__MasterKey="${Registry__MasterKey:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
export Registry__BlindIndexKey="${Registry__BlindIndexKey:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
[ -f "$DLL" ] || dotnet build Registry.Api/Registry.Api.csproj -c Release -v q >/dev/null

# The connection string's pieces, for psql and pgbench.
field() { tr ';' '\n' <<<"$ConnectionStrings__Registry" | awk -F= -v k="$1" 'tolower($1)==tolower(k){print $2}'; }
export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGPASSWORD=$(field Password)
# The same connection string naming another database.
with_db() { sed -E "s/(^|;)Database=[^;]*//I" <<<"$ConnectionStrings__Registry" | sed -E "s/\$/;Database=$1/; s/^;//"; }
sql() { "$PSQL" -d "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
# A server-side worker (autovacuum) may still hold the database for a moment: retry the drop.
drop_db() { for _ in 1 2 3 4 5 6 7 8 9 10; do sql postgres "DROP DATABASE IF EXISTS $1 WITH (FORCE)" 2>/dev/null && return 0; sleep 3; done; echo "could not drop $1" >&2; }
