#!/usr/bin/env bash
# scripts/replica-demo.sh [--keep] - read replica on loopback, and proof of where reads and writes go.
#
# 1. Makes a streaming replica of the local primary with pg_basebackup -R in .pg-replica/ on port
#    55433 (REGISTRY_REPLICA_PORT) and starts it.
# 2. Creates and seeds a demo database, then starts one API node (port 5180, REGISTRY_DEMO_PORT)
#    whose connection string lists both servers: Host=primary,replica.
# 3. Pauses WAL replay on the replica, so the two servers differ, and then:
#      - a mutation registers a citizen: it must succeed (the replica refuses writes) and its answer
#        must show the new citizen (its read-back goes to the primary);
#      - a query for that citizen must answer null (queries read the paused replica);
#      - after replay resumes, the same query must find the citizen.
#    It also counts each server's scans of the citizen table during a burst of queries.
# 4. Stops the node and the replica and drops the database, unless --keep.
#
# Run as root (or as the cluster's OS owner): pg_basebackup and pg_ctl run as that owner.
# ConnectionStrings__Registry must name the primary (as ./start.sh and scripts/postgres.sh set it).
set -euo pipefail
source "$(dirname "$0")/demo-lib.sh"

KEEP=0
[ "${1:-}" = --keep ] && KEEP=1
REPLICA_PORT="${REGISTRY_REPLICA_PORT:-55433}"
API_PORT="${REGISTRY_DEMO_PORT:-5180}"
REPLICA_BASE="$REPO/.pg-replica"
DB="registry_scale_replica_$(date +%H%M%S)_$$"
NODE_PID="" BIN="" FAILURES=0

use_server
# The primary's data directory and socket: from the postmaster listening on the port. Seeing its
# process needs root or the cluster's owner, who also runs pg_basebackup and the replica.
PRIMARY_PID="$(ss -Hltnp "sport = :$CS_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)"
[ -n "$PRIMARY_PID" ] || die "no PostgreSQL of yours listens on port $CS_PORT of this machine (run ./start.sh once, and this as root or as the cluster's owner)"
PRIMARY_DATA="$(readlink -f "/proc/$PRIMARY_PID/cwd")"
[ -f "$PRIMARY_DATA/PG_VERSION" ] || die "cannot find the data directory of the server on port $CS_PORT"
PG_OWNER="$(stat -c %U "$PRIMARY_DATA")"
[ "$(id -u)" -eq 0 ] || [ "$(id -un)" = "$PG_OWNER" ] || die "run as root or as $PG_OWNER, the owner of the cluster"

as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$PG_OWNER" -- "$@"); else (cd / && "$@"); fi; }
PRIMARY_SOCKET="$(sed -n 5p "$PRIMARY_DATA/postmaster.pid")"
BIN="/usr/lib/postgresql/$(cat "$PRIMARY_DATA/PG_VERSION")/bin"
REPLICA_DATA="$REPLICA_BASE/data" REPLICA_RUN="$REPLICA_BASE/run" REPLICA_LOG="$REPLICA_BASE/postgres.log"

su_psql() { as_pg "$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U postgres -d "${3:-postgres}" -c "$4"; }

stop_replica() {
    [ -f "$REPLICA_DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

cleanup() {
    local rc=$?
    if [ "$KEEP" = 1 ]; then
        say "kept: API node pid $NODE_PID on http://127.0.0.1:$API_PORT, replica on port $REPLICA_PORT ($REPLICA_DATA), database $DB"
        say "stop them with: kill $NODE_PID; runuser -u postgres -- $BIN/pg_ctl -D $REPLICA_DATA stop; then drop $DB"
        return $rc
    fi
    stop_pid "$NODE_PID"
    stop_replica
    rm -rf "$REPLICA_DATA"
    drop_database "$DB"
    return $rc
}
trap cleanup EXIT

check() { # check DESCRIPTION CONDITION...
    local what="$1"; shift
    if "$@"; then say "  ok    $what"; else say "  FAIL  $what"; FAILURES=$((FAILURES + 1)); fi
}

build_api

# --- 1. The replica ----------------------------------------------------------------------------
# pg_basebackup connects over the primary's Unix socket as the superuser postgres (scripts/postgres.sh
# names it so): that needs a `local replication` line in pg_hba.conf (initdb writes one). Added if
# missing, then a reload: the primary keeps running.
if ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+(trust|peer)' "$PRIMARY_DATA/pg_hba.conf"; then
    say "adding 'local replication postgres trust' to $PRIMARY_DATA/pg_hba.conf and reloading"
    printf 'local   replication     postgres                                trust\n' >>"$PRIMARY_DATA/pg_hba.conf"
    su_psql "$PRIMARY_SOCKET" "$CS_PORT" postgres "SELECT pg_reload_conf()" >/dev/null
fi

stop_replica
mkdir -p "$REPLICA_BASE" "$REPLICA_RUN"
rm -rf "$REPLICA_DATA"
chown "$PG_OWNER:" "$REPLICA_BASE" "$REPLICA_RUN" 2>/dev/null || true
chmod 700 "$REPLICA_RUN"
say "pg_basebackup of the primary (port $CS_PORT, $(du -sh "$PRIMARY_DATA" 2>/dev/null | cut -f1)) into $REPLICA_DATA"
started=$(now_ms)
as_pg "$BIN/pg_basebackup" -h "$PRIMARY_SOCKET" -p "$CS_PORT" -U postgres -D "$REPLICA_DATA" -R -X stream -c fast
say "  copied in $(( ($(now_ms) - started) / 1000 )) s"
# A hot standby needs at least the primary's max_connections.
max_connections="$(su_psql "$PRIMARY_SOCKET" "$CS_PORT" postgres 'SHOW max_connections')"
as_pg "$BIN/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_LOG" -w -t 120 \
    -o "-p $REPLICA_PORT -k $REPLICA_RUN -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=$max_connections -c shared_buffers=64MB" start >/dev/null ||
    { tail -n 5 "$REPLICA_LOG"; die "the replica did not start"; }
[ "$(su_psql "$REPLICA_RUN" "$REPLICA_PORT" postgres 'SELECT pg_is_in_recovery()')" = t ] || die "the replica is not in recovery"
say "replica streaming on 127.0.0.1:$REPLICA_PORT (pg_is_in_recovery = t)"

wait_replayed() { # until the replica has replayed everything the primary has written so far
    local target i
    target="$(su_psql "$PRIMARY_SOCKET" "$CS_PORT" postgres 'SELECT pg_current_wal_lsn()')"
    # The replica copies the whole cluster: other databases' heavy writes can make it lag for a while.
    for ((i = 0; i < 600; i++)); do
        [ "$(su_psql "$REPLICA_RUN" "$REPLICA_PORT" postgres "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ] && return 0
        sleep 0.5
    done
    return 1
}

# --- 2. A demo database and a node on both servers --------------------------------------------
create_database "$DB"
say "seeding $DB on the primary"
api "$(db_connection_string "$DB")" seed --households 30 | grep -E "^(Seeded|The register)"
wait_replayed || die "the replica did not catch up"

MULTI_CS="Host=$CS_HOST:$CS_PORT,$CS_HOST:$REPLICA_PORT;Database=$DB;Username=$CS_USER;Password=$CS_PASSWORD;Application Name=registry-replica-demo"
TOKEN="$(api "$SERVER_CS" token --role caseworker --production 2>/dev/null | tail -n 1)"
NODE_LOG="$(mktemp /tmp/registry-replica-node.XXXXXX.log)"
say "starting an API node on port $API_PORT with Host=$CS_HOST:$CS_PORT,$CS_HOST:$REPLICA_PORT (log $NODE_LOG)"
NODE_PID="$(start_node "$MULTI_CS" "$API_PORT" "$NODE_LOG")"
wait_for_node "$API_PORT" "$NODE_PID" || { tail -n 30 "$NODE_LOG"; die "the API node did not start"; }

# --- 3. Proofs ---------------------------------------------------------------------------------
say "pausing WAL replay on the replica"
su_psql "$REPLICA_RUN" "$REPLICA_PORT" postgres 'SELECT pg_wal_replay_pause()' >/dev/null

ID="$(sa_id_number 850312)"
answer="$(gql "$API_PORT" "$(register_citizen_mutation "$ID" Replica 1985-03-12)")"
say "mutation registerCitizen($ID): $answer"
check "the mutation succeeded (writes go to the primary: the replica is read-only)" grep -q '"errors":\[\]}}}$' <<<"$answer"
check "the mutation answered with the new citizen (its read-back came from the primary)" grep -q "\"idNumber\":\"$ID\",\"version\":1" <<<"$answer"
on_primary="$(q "$CS_PORT" "$DB" "SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_doc_citizen WHERE data->>'IdNumber' = '$ID'")"
on_replica="$(q "$REPLICA_PORT" "$DB" "SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_doc_citizen WHERE data->>'IdNumber' = '$ID'")"
say "rows for $ID: primary $on_primary, paused replica $on_replica"
check "the primary holds the citizen and the paused replica does not" test "$on_primary/$on_replica" = 1/0

answer="$(gql "$API_PORT" "{ citizen(idNumber: \"$ID\") { idNumber } }")"
say "query citizen($ID) while replay is paused: $answer"
check "the query does not see it (queries read the replica)" grep -q '"citizen":null' <<<"$answer"

su_psql "$REPLICA_RUN" "$REPLICA_PORT" postgres 'SELECT pg_wal_replay_resume()' >/dev/null
wait_replayed || die "the replica did not catch up after resuming"
answer="$(gql "$API_PORT" "{ citizen(idNumber: \"$ID\") { idNumber } }")"
say "query citizen($ID) after replay resumed: $answer"
check "the query sees it once the replica has replayed the write" grep -q "\"idNumber\":\"$ID\"" <<<"$answer"

# Scans of the citizen table on each server around a burst of queries. Nothing else reads that table
# meanwhile, so whichever server served the queries shows at least one scan per query.
scans() { q "$1" "$DB" "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE schemaname = 'registry' AND relname = 'mt_doc_citizen'"; }
BURST=50
# First let the node finish its background work on the primary, which reads citizens too: the async
# projection catching up with the seed (it loads every household's citizens), and the re-evaluations
# the seed queued. The projection's progress row appears only once Wolverine has assigned it to the
# node, so wait for the row as well, not just for rows that lag.
for ((i = 0; i < 240; i++)); do
    [ "$(q "$CS_PORT" "$DB" "SELECT (SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_event_progression WHERE name <> 'HighWaterMark'
          AND last_seq_id < (SELECT coalesce(max(seq_id), 0) FROM ${REGISTRY_SCHEMA}.mt_events))
        + (1 - (SELECT count(*) FROM ${REGISTRY_SCHEMA}.mt_event_progression WHERE name LIKE 'MunicipalHousehold%'))
        + (SELECT count(*) FROM registry.wolverine_incoming_envelopes WHERE status <> 'Handled')
        + (SELECT count(*) FROM registry.wolverine_outgoing_envelopes)")" = 0 ] && break
    sleep 0.5
done
sleep 11 # an idle backend reports its statistics within 10 s
before_primary="$(scans "$CS_PORT")" before_replica="$(scans "$REPLICA_PORT")"
for ((i = 0; i < BURST; i++)); do gql "$API_PORT" "{ citizens(first: 5) { totalCount edges { node { idNumber } } } }" >/dev/null; done
for ((i = 0; i < 30; i++)); do
    [ $(($(scans "$REPLICA_PORT") - before_replica)) -ge $BURST ] && break
    sleep 0.5
done
primary_scans=$(($(scans "$CS_PORT") - before_primary)) replica_scans=$(($(scans "$REPLICA_PORT") - before_replica))
say "scans of ${REGISTRY_SCHEMA}.mt_doc_citizen during $BURST queries: primary +$primary_scans, replica +$replica_scans"
check "the replica scanned the table at least once per query" test "$replica_scans" -ge $BURST
check "the primary did not serve them (fewer than $BURST scans)" test "$primary_scans" -lt $BURST
check "no statement was refused as a write on the replica" bash -c "! grep -qi 'read-only transaction' '$NODE_LOG'"

say "connections of the node: primary $(q "$CS_PORT" postgres "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'registry-replica-demo'"), replica $(q "$REPLICA_PORT" postgres "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'registry-replica-demo'")"

if [ "$FAILURES" -eq 0 ]; then
    echo "PASS: writes and mutation read-backs went to the primary, queries to the replica"
else
    echo "FAIL: $FAILURES check(s) failed (node log: $NODE_LOG)"
    exit 1
fi
