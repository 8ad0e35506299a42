# scripts/demo-lib.sh - helpers shared by replica-demo.sh and two-nodes-demo.sh (sourced, not run).
# Needs ConnectionStrings__Registry (or a cluster that scripts/postgres.sh can start), curl and psql.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
source "$REPO/scripts/lib.sh"
API_DIR="$REPO/Registry.Api/bin/Release/net10.0"
API_DLL="$API_DIR/Registry.Api.dll"

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# Connection string parts (Npgsql keywords, case-insensitive) into CS_HOST, CS_PORT, CS_USER, CS_PASSWORD.
parse_connection_string() {
    local kv k v
    CS_HOST=127.0.0.1 CS_PORT=5432 CS_USER="" CS_PASSWORD=""
    IFS=';' read -r -a kvs <<<"$1"
    for kv in "${kvs[@]}"; do
        [[ "$kv" == *=* ]] || continue
        k="$(printf '%s' "${kv%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
        v="${kv#*=}"
        case "$k" in
            host | server) CS_HOST="$v" ;;
            port) CS_PORT="$v" ;;
            username | userid | user) CS_USER="$v" ;;
            password) CS_PASSWORD="$v" ;;
        esac
    done
    case "$CS_HOST" in *,*) die "point ConnectionStrings__Registry at one server (the primary); the demo builds multi-host strings itself" ;; esac
}

# The server from ConnectionStrings__Registry, or the project's private cluster.
use_server() {
    if [ -z "${ConnectionStrings__Registry:-}" ]; then
        local pg_env; pg_env="$("$REPO/scripts/postgres.sh" env)" || { echo "the database step failed (see above)" >&2; exit 1; }
        eval "$pg_env"
    fi
    SERVER_CS="$ConnectionStrings__Registry"
    parse_connection_string "$SERVER_CS"
}

# A connection string for database $1 on the same server (Database= replaced or added).
db_connection_string() {
    local kv out=""
    IFS=';' read -r -a kvs <<<"$SERVER_CS"
    for kv in "${kvs[@]}"; do
        [ -n "$kv" ] || continue
        case "$(printf '%s' "${kv%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')" in database | db) continue ;; esac
        out+="$kv;"
    done
    printf '%sDatabase=%s' "$out" "$1"
}

# psql as the application role: q PORT DB SQL (unaligned, tuples only).
q() { PGPASSWORD="$CS_PASSWORD" psql -X -q -At -v ON_ERROR_STOP=1 -h "$CS_HOST" -p "$1" -U "$CS_USER" -d "$2" -c "$3"; }

create_database() { q "$CS_PORT" postgres "CREATE DATABASE \"$1\""; }
drop_database() { q "$CS_PORT" postgres "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true; }

build_api() {
    say "building Registry.Api (Release)"
    dotnet build "$REPO/Registry.Api" -c Release -nologo -v quiet >/dev/null || die "build failed"
}

# The API binary with the demo's settings: api CONNECTION_STRING VERB [ARGS...]
api() {
    local cs="$1"; shift
    (cd "$API_DIR" && ConnectionStrings__Registry="$cs" Auth__SigningKey="$DEMO_SIGNING_KEY" \
        Integrity__CheckpointKey="$DEMO_CHECKPOINT_KEY" ASPNETCORE_ENVIRONMENT=Production dotnet "$API_DLL" "$@")
}

# start_node CONNECTION_STRING PORT LOGFILE [SETTING=VALUE ...]: prints the PID. Settings are environment
# variables (Wolverine__Durability=Balanced): the verbs take typed flags, not configuration as arguments.
start_node() {
    local cs="$1" port="$2" log="$3"; shift 3
    (cd "$API_DIR" && ConnectionStrings__Registry="$cs" Auth__SigningKey="$DEMO_SIGNING_KEY" \
        Integrity__CheckpointKey="$DEMO_CHECKPOINT_KEY" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Information \
        exec env "$@" dotnet "$API_DLL" serve --urls "http://127.0.0.1:$port" >"$log" 2>&1) &
    echo $!
}

wait_for_node() {
    local port="$1" pid="$2" i
    for ((i = 0; i < 240; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        curl -sf -o /dev/null -m 2 "http://127.0.0.1:$port/health/ready" && return 0
        sleep 0.5
    done
    return 1
}

stop_pid() {
    local pid="$1" signal="${2:-TERM}" i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$signal" "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
}

# gql PORT QUERY: the response body of one GraphQL request (caseworker token in $TOKEN); reads that
# show a person say why, as every caller must (X-Purpose).
gql() {
    local body
    body="$(printf '{"query":"%s"}' "$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g')")"
    curl -s -m 30 "http://127.0.0.1:$1/graphql" -H "Authorization: Bearer $TOKEN" -H 'X-Purpose: scale-out demonstration' -H 'Content-Type: application/json' -d "$body"
}

# A valid, unused-looking SA ID number: born $1 (YYMMDD), male, citizen, random sequence, Luhn check digit.
sa_id_number() {
    local base i d sum=0 digits
    base="$1$((5000 + RANDOM % 5000))08"
    digits="$base"
    # Luhn over the 12 digits, doubling every second digit from the right of the full 13-digit number.
    for ((i = ${#digits} - 1; i >= 0; i--)); do
        d="${digits:i:1}"
        if (((${#digits} - 1 - i) % 2 == 0)); then d=$((d * 2)); ((d > 9)) && d=$((d - 9)); fi
        sum=$((sum + d))
    done
    printf '%s%s' "$base" $(((10 - sum % 10) % 10))
}

register_citizen_mutation() {
    printf 'mutation { registerCitizen(input: { idNumber: "%s", firstNames: "%s", surname: "Demo", dateOfBirth: "%s", sex: MALE, citizenship: CITIZEN, idempotencyKey: "%s", address: { line1: "1 Main Road", city: "Cape Town", municipalityCode: "CPT", province: WESTERN_CAPE, postalCode: "8001" } }) { citizen { id idNumber version } errors { code message } } }' \
        "$1" "$2" "$3" "$1"
}

# A signing key for this run only: tokens from it are worthless afterwards.
DEMO_SIGNING_KEY="${Auth__SigningKey:-$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')}"
# Production refuses to sign checkpoints with the token key: a separate one, also for this run only.
DEMO_CHECKPOINT_KEY="${Integrity__CheckpointKey:-$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')}"
# The demo's Production nodes need the keys that wrap data keys and key blind indexes; one pair for all its nodes.
export Registry__MasterKey="${Registry__MasterKey:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
export Registry__BlindIndexKey="${Registry__BlindIndexKey:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
