#!/usr/bin/env bash
# scripts/two-nodes-demo.sh - two API nodes on one database share the async projection work, and
# the survivor takes it over when the node that runs it is killed.
#
# 1. Creates and seeds a database, starts node A (port 5181) and then node B (port 5182), both with
#    Wolverine's Balanced durability, and shows which node Wolverine assigned the projection agent to
#    (tables wolverine_nodes and wolverine_node_assignments).
# 2. Declares incomes through GraphQL mutations (they change the async MunicipalHousehold read model),
#    kills the agent's node with SIGKILL, and keeps writing through the other node.
# 3. Waits until the survivor owns the agent and the projection has caught up, and reports the times.
# 4. Runs `verify-projections`: a rebuild from the events into a scratch schema must equal every live
#    read model, so no event was missed or applied on top of another's result.
# Then it stops the nodes and drops the database. Exit code 1 on failure.
#
# Environment: REGISTRY_DEMO_HOUSEHOLDS (seed size, default 60), REGISTRY_DEMO_WRITES (mutations
# before and after the kill, default 40 each), REGISTRY_DEMO_STALE_NODE_SECONDS (the nodes'
# Wolverine:StaleNodeTimeoutSeconds; unset = Wolverine's default of one minute, which bounds takeover).
set -euo pipefail
source "$(dirname "$0")/demo-lib.sh"

PORT_A=5181 PORT_B=5182
HOUSEHOLDS="${REGISTRY_DEMO_HOUSEHOLDS:-60}"
WRITES="${REGISTRY_DEMO_WRITES:-40}"
DB="registry_scale_nodes_$(date +%H%M%S)_$$"
PID_A="" PID_B=""

NODE_ARGS=(Wolverine__Durability=Balanced)
[ -n "${REGISTRY_DEMO_STALE_NODE_SECONDS:-}" ] && NODE_ARGS+=("Wolverine__StaleNodeTimeoutSeconds=$REGISTRY_DEMO_STALE_NODE_SECONDS")

use_server
DB_CS="$(db_connection_string "$DB")"
LOG_DIR="$(mktemp -d /tmp/registry-two-nodes.XXXXXX)"

cleanup() {
    local rc=$?
    stop_pid "$PID_A"
    stop_pid "$PID_B"
    drop_database "$DB"
    return $rc
}
trap cleanup EXIT

sql() { q "$CS_PORT" "$DB" "$1"; }
# The async projection's agent and the node that runs it: "agent-uri|node-id".
assignment() { sql "SELECT a.id || '|' || a.node_id FROM registry.wolverine_node_assignments a WHERE a.id LIKE '%event-subscriptions%' ORDER BY a.id LIMIT 1" 2>/dev/null || true; }
progression() { sql "SELECT coalesce(max(last_seq_id), 0) FROM ${REGISTRY_SCHEMA}.mt_event_progression WHERE name LIKE 'MunicipalHousehold:%'"; }
latest_event() { sql "SELECT coalesce(max(seq_id), 0) FROM ${REGISTRY_SCHEMA}.mt_events"; }
node_ids() { sql "SELECT id FROM registry.wolverine_nodes ORDER BY node_number" 2>/dev/null || true; }

build_api
create_database "$DB"
say "seeding $DB with $HOUSEHOLDS households"
api "$DB_CS" seed --households "$HOUSEHOLDS" | grep -E "^(Seeded|The register)"
TOKEN="$(api "$DB_CS" token --role caseworker --production 2>/dev/null | tail -n 1)"

# --- 1. Two nodes ------------------------------------------------------------------------------
# One after the other, so each wolverine_nodes row can be matched to its process.
say "starting node A on port $PORT_A (${NODE_ARGS[*]})"
PID_A="$(start_node "$DB_CS" "$PORT_A" "$LOG_DIR/node-a.log" "${NODE_ARGS[@]}")"
wait_for_node "$PORT_A" "$PID_A" || { tail -n 30 "$LOG_DIR/node-a.log"; die "node A did not start"; }
for ((i = 0; i < 60; i++)); do [ "$(node_ids | wc -l)" -ge 1 ] && break; sleep 0.5; done
NODE_A="$(node_ids | head -n 1)"
say "starting node B on port $PORT_B"
PID_B="$(start_node "$DB_CS" "$PORT_B" "$LOG_DIR/node-b.log" "${NODE_ARGS[@]}")"
wait_for_node "$PORT_B" "$PID_B" || { tail -n 30 "$LOG_DIR/node-b.log"; die "node B did not start"; }
for ((i = 0; i < 60; i++)); do [ "$(node_ids | wc -l)" -ge 2 ] && break; sleep 0.5; done
NODE_B="$(node_ids | grep -v "$NODE_A" | head -n 1)"
[ -n "$NODE_A" ] && [ -n "$NODE_B" ] || die "the nodes did not register in wolverine_nodes"
say "node A = $NODE_A (pid $PID_A), node B = $NODE_B (pid $PID_B)"

say "waiting for Wolverine to assign the projection agent"
for ((i = 0; i < 240; i++)); do [ -n "$(assignment)" ] && break; sleep 0.5; done
[ -n "$(assignment)" ] || die "no node was assigned the projection agent"
sql "SELECT n.node_number || ' ' || CASE n.id WHEN '$NODE_A' THEN 'A' ELSE 'B' END || ' ' || a.id
     FROM registry.wolverine_node_assignments a JOIN registry.wolverine_nodes n ON n.id = a.node_id ORDER BY a.id" |
    while read -r line; do say "  assignment: node $line"; done

OWNER="$(assignment | cut -d'|' -f2)"
if [ "$OWNER" = "$NODE_A" ]; then
    VICTIM_PID=$PID_A VICTIM=A SURVIVOR=$NODE_B SURVIVOR_PORT=$PORT_B SURVIVOR_NAME=B
else
    VICTIM_PID=$PID_B VICTIM=B SURVIVOR=$NODE_A SURVIVOR_PORT=$PORT_A SURVIVOR_NAME=A
fi
say "node $VICTIM runs the MunicipalHousehold projection; node $SURVIVOR_NAME will survive"

# --- 2. Writes, a kill, more writes -------------------------------------------------------------
# Household members: their income feeds the household's row in the municipal view.
mapfile -t MEMBERS < <(sql "SELECT c.data->>'IdNumber' FROM ${REGISTRY_SCHEMA}.mt_doc_citizen c
                            JOIN ${REGISTRY_SCHEMA}.mt_doc_householdmembership m ON m.id = c.id ORDER BY c.id LIMIT $((2 * WRITES))")
[ "${#MEMBERS[@]}" -ge $((2 * WRITES)) ] || die "the seed made too few household members (${#MEMBERS[@]})"
declare_income() { # declare_income PORT INDEX
    local answer
    answer="$(gql "$1" "mutation { declareIncome(input: { idNumber: \"${MEMBERS[$2]}\", monthlyIncome: $((1000 + $2 * 37)), source: EMPLOYMENT }) { citizen { version } errors { code } } }")"
    grep -q '"errors":\[\]' <<<"$answer" || die "declareIncome for ${MEMBERS[$2]} failed: $answer"
}

for ((i = 0; i < WRITES; i++)); do declare_income $((i % 2 == 0 ? PORT_A : PORT_B)) "$i"; done
say "$WRITES incomes declared through both nodes; projection at $(progression) of $(latest_event) events"

KILLED_AT=$(now_ms)
kill -KILL "$VICTIM_PID"
wait "$VICTIM_PID" 2>/dev/null || true
PROGRESS_AT_KILL="$(progression)"
say "kill -9 node $VICTIM (pid $VICTIM_PID); projection had reached sequence $PROGRESS_AT_KILL"

for ((i = WRITES; i < 2 * WRITES; i++)); do declare_income "$SURVIVOR_PORT" "$i"; done
say "$WRITES more incomes declared through node $SURVIVOR_NAME"

# --- 3. Takeover and catch-up -------------------------------------------------------------------
TAKEOVER_MS="" CAUGHT_UP_MS=""
for ((i = 0; i < 600; i++)); do
    if [ -z "$TAKEOVER_MS" ] && [ "$(assignment | cut -d'|' -f2)" = "$SURVIVOR" ]; then
        TAKEOVER_MS=$(($(now_ms) - KILLED_AT))
        say "node $SURVIVOR_NAME owns the projection agent, $((TAKEOVER_MS / 1000)) s after the kill"
    fi
    if [ -n "$TAKEOVER_MS" ]; then
        behind="$(gql "$SURVIVOR_PORT" '{ municipality(code: "CPT") { freshness { eventsBehind } } }' | grep -o '"eventsBehind":[0-9]*' | cut -d: -f2)"
        if [ "$behind" = 0 ]; then CAUGHT_UP_MS=$(($(now_ms) - KILLED_AT)); break; fi
    fi
    sleep 0.5
done
[ -n "$TAKEOVER_MS" ] || die "node $SURVIVOR_NAME did not take over the projection agent within 5 minutes"
[ -n "$CAUGHT_UP_MS" ] || die "the projection did not catch up within 5 minutes"
say "projection caught up (eventsBehind = 0, sequence $(progression) = latest $(latest_event)) $((CAUGHT_UP_MS / 1000)) s after the kill"

# --- 4. Nothing missed, nothing doubled -----------------------------------------------------------
say "verify-projections: rebuild every read model from the events and compare with the live ones"
if api "$DB_CS" verify-projections | tee "$LOG_DIR/verify.log" | grep -E "Read models match|differences|DIFFERENT" | sed 's/^/    /'; then :; fi
VERIFIED=0
grep -q "Read models match" "$LOG_DIR/verify.log" && VERIFIED=1

echo
echo "takeover: $(awk "BEGIN { printf \"%.1f\", $TAKEOVER_MS / 1000 }") s after kill -9 of the owning node; caught up after $(awk "BEGIN { printf \"%.1f\", $CAUGHT_UP_MS / 1000 }") s"
if [ "$VERIFIED" = 1 ]; then
    echo "PASS: node $SURVIVOR_NAME took over the async projection and the read models equal a rebuild from the events"
else
    echo "FAIL: the live read models differ from a rebuild (logs in $LOG_DIR)"
    exit 1
fi
