#!/usr/bin/env bash
# scripts/postgres.sh - a private PostgreSQL cluster owned by this repository,
# for local development and tests. Linux only, no Docker, listens on 127.0.0.1.
#
# Usage
#   scripts/postgres.sh [ensure]      install PostgreSQL if missing, initdb if there is no cluster,
#                                     start it if it is not running, wait until ready, create the
#                                     role and database; print the export line on stdout
#   eval "$(scripts/postgres.sh env)" same as ensure (progress on stderr), stdout is only
#                                     export ConnectionStrings__Registry='Host=...;Port=...;...'
#   source scripts/postgres.sh        ensure, then export ConnectionStrings__Registry into the
#                                     current shell (arguments are ignored when sourced)
#   scripts/postgres.sh status        show where the cluster lives and whether it runs (exit 3 if not)
#   scripts/postgres.sh stop          stop the cluster (fast shutdown)
#   scripts/postgres.sh psql [ARGS]   psql on the database as the application role
#
# Environment
#   REGISTRY_PG_PORT             TCP port on 127.0.0.1. Default: this checkout's own port, chosen
#                                once from its path (55432-56431, the next free one if taken) and
#                                kept in <cluster>/port, so two clones never share a cluster
#   REGISTRY_PG_DB               database name (default registry)
#   ConnectionStrings__Registry  if already set, ensure/env do nothing: you bring your own server
#
# Layout: <repo>/.pg/{data,run,log/postgres.log}, owned by the `postgres` OS user when run as
# root (the server refuses to run as root). If that user cannot reach the repo (e.g. it lives
# under /root), the cluster goes to /var/lib/registry-pg/<hash of repo path> instead.
# Role `registry` / password `registry` (LOGIN, CREATEDB) owns the database.

# ---------------------------------------------------------------------------------------------
# Sourced: do the work in a child bash so the caller's shell options stay untouched, then eval
# the export line it prints.
# ---------------------------------------------------------------------------------------------
if (return 0 2>/dev/null); then
    if [ -n "${ConnectionStrings__Registry:-}" ]; then
        echo "postgres.sh: ConnectionStrings__Registry is already set; using it as is" >&2
        export ConnectionStrings__Registry
        return 0
    fi
    if __registry_pg_out="$(bash "${BASH_SOURCE[0]}" env)"; then
        eval "$__registry_pg_out"
        unset __registry_pg_out
        echo "postgres.sh: exported ConnectionStrings__Registry" >&2
        return 0
    else
        unset __registry_pg_out
        return 1
    fi
fi

set -euo pipefail

ROLE=registry
ROLE_PASSWORD=registry
PORT="${REGISTRY_PG_PORT:-}"
DB="${REGISTRY_PG_DB:-registry}"
FALLBACK_ROOT=/var/lib/registry-pg

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
REPO="$(cd "$(dirname "$SELF")/.." && pwd -P)"
REPO_HASH="$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { printf 'postgres.sh: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Single-quote a string for the shell.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

conn_string() {
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' "$PORT" "$DB" "$ROLE" "$ROLE_PASSWORD"
}

print_export() {
    local cs
    if [ -n "${ConnectionStrings__Registry:-}" ]; then cs="$ConnectionStrings__Registry"; else cs="$(conn_string)"; fi
    printf 'export ConnectionStrings__Registry=%s\n' "$(sq "$cs")"
}

if [ -n "$PORT" ]; then
    case "$PORT" in *[!0-9]*) die "REGISTRY_PG_PORT must be a number, got '$PORT'" ;; esac
    if [ "$PORT" -lt 1024 ] || [ "$PORT" -gt 65535 ]; then die "REGISTRY_PG_PORT must be in 1024..65535, got $PORT"; fi
fi
[[ "$DB" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "REGISTRY_PG_DB must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got '$DB'"

# Run a command as the OS user that owns the cluster. From / so that an unreadable cwd
# does not upset initdb/pg_ctl. libpq/server env vars that could redirect us are dropped.
# fd 9 (the ensure lock) is closed so that the server never inherits, and holds, the lock.
as_pg() {
    local -a clean=(env -u PGDATA -u PGHOST -u PGHOSTADDR -u PGPORT -u PGUSER -u PGDATABASE
        -u PGPASSWORD -u PGPASSFILE -u PGSERVICE -u PGSERVICEFILE -u PGOPTIONS -u PGSSLMODE)
    if is_root; then
        (cd / && runuser -u postgres -- "${clean[@]}" "$@") 9>&-
    else
        (cd / && "${clean[@]}" "$@") 9>&-
    fi
}

# ---------------------------------------------------------------------------------------------
# Binaries
# ---------------------------------------------------------------------------------------------
BIN=""

# Newest /usr/lib/postgresql/*/bin with pg_ctl (or the one for major version $1 if present).
find_bin_dir() {
    local want="${1:-}" d
    if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then
        echo "/usr/lib/postgresql/$want/bin"; return 0
    fi
    d="$(for x in /usr/lib/postgresql/*/bin; do
            [ -x "$x/pg_ctl" ] && [ -x "$x/postgres" ] && [ -x "$x/initdb" ] && basename "$(dirname "$x")"
         done 2>/dev/null | sort -V | tail -n1 || true)"
    if [ -n "$d" ]; then echo "/usr/lib/postgresql/$d/bin"; return 0; fi
    # Non-Debian layouts: pg_ctl on PATH next to postgres and initdb.
    if command -v pg_ctl >/dev/null 2>&1; then
        d="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
        if [ -x "$d/postgres" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    fi
    return 1
}

bin_major() { "$1/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/' | head -n1; }

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL manually"
    local -a sudo=()
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed; run as root or install the 'postgresql' package"
        sudo=(sudo)
    fi
    log "PostgreSQL server binaries not found; installing the 'postgresql' package with apt-get"
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
}

# Sets BIN; installs PostgreSQL if $1 = install and nothing is found.
resolve_bin() {
    local want=""
    [ -f "${DATA:-/nonexistent}/PG_VERSION" ] && want="$(cat "$DATA/PG_VERSION")"
    if ! BIN="$(find_bin_dir "$want")"; then
        [ "${1:-}" = install ] || return 1
        install_postgres
        BIN="$(find_bin_dir "$want")" || die "PostgreSQL was installed but no pg_ctl was found under /usr/lib/postgresql/*/bin"
    fi
    if [ -n "$want" ]; then
        local have; have="$(bin_major "$BIN")"
        [ "$have" = "$want" ] || die "cluster in $DATA is PostgreSQL $want but only PostgreSQL $have binaries ($BIN) were found; install postgresql-$want or remove $DATA"
    fi
}

ensure_postgres_user() {
    is_root || return 0
    id -u postgres >/dev/null 2>&1 && return 0
    log "creating the 'postgres' system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------
BASE="" DATA="" RUN="" LOGDIR="" LOGFILE=""

set_base() {
    BASE="$1"
    DATA="$BASE/data"
    LOGDIR="$BASE/log"
    LOGFILE="$LOGDIR/postgres.log"
    RUN="$BASE/run"
    # A Unix socket path is limited to 107 bytes; fall back to a short directory if needed.
    if [ $(( ${#RUN} + 5 + 11 )) -gt 100 ]; then
        RUN="/tmp/registry-pg-$REPO_HASH"
    fi
}

# Can the cluster owner reach (search) the repository directory?
repo_reachable() {
    if is_root; then as_pg test -x "$REPO" 2>/dev/null; else return 0; fi
}

# Picks BASE. An existing cluster wins (sticky); otherwise the repo unless unreachable.
choose_layout() {
    local repo_base="$REPO/.pg" fb_base="$FALLBACK_ROOT/$REPO_HASH"
    if [ -f "$repo_base/data/PG_VERSION" ] && repo_reachable; then
        set_base "$repo_base"
    elif [ -f "$fb_base/data/PG_VERSION" ]; then
        set_base "$fb_base"
    elif repo_reachable; then
        set_base "$repo_base"
    else
        set_base "$fb_base"
    fi
    if [ "$BASE" = "$fb_base" ]; then
        log "note: the postgres user cannot traverse to $REPO (a parent directory lacks o+x),"
        log "      so the cluster lives in $BASE instead of $repo_base"
    fi
}

prepare_dirs() {
    local owner=postgres
    is_root || owner="$(id -un)"
    if [ "$BASE" != "$REPO/.pg" ]; then
        mkdir -p "$FALLBACK_ROOT" "$BASE" && chmod 755 "$FALLBACK_ROOT"
        printf '%s\n' "$REPO" >"$BASE/repo-path"   # which checkout this cluster belongs to
    fi
    mkdir -p "$BASE" "$DATA" "$RUN" "$LOGDIR"
    if is_root; then
        chown postgres:postgres "$BASE" "$RUN" "$LOGDIR"
        # Data dir: fix ownership recursively only if it is wrong (e.g. copied by root).
        if [ "$(stat -c %U "$DATA")" != postgres ] || [ -n "$(find "$DATA" ! -user postgres -print -quit)" ]; then
            chown -R postgres:postgres "$DATA"
        fi
        [ ! -e "$LOGFILE" ] || chown postgres:postgres "$LOGFILE"
    fi
    chmod 755 "$BASE" "$LOGDIR"
    chmod 700 "$DATA" "$RUN"
    as_pg test -w "$DATA" -a -w "$RUN" -a -w "$LOGDIR" ||
        die "the $owner user cannot write to $BASE (filesystem without ownership support?)"
}

# Stop concurrent invocations (e.g. two test runs) from racing through initdb/start.
take_lock() {
    command -v flock >/dev/null 2>&1 || return 0
    exec 9>>"$BASE/.ensure.lock"
    flock -w 300 9 || die "timed out waiting for another postgres.sh on $BASE"
}

# ---------------------------------------------------------------------------------------------
# Process detection
# ---------------------------------------------------------------------------------------------

# Is $1 a live postgres process whose working directory is our data directory?
pid_is_ours() {
    local pid="${1:-}" comm cwd
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    kill -0 "$pid" 2>/dev/null || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    case "$comm" in postgres | postmaster) ;; *) return 1 ;; esac
    cwd="$(readlink -f "/proc/$pid/cwd" 2>/dev/null || true)"
    [ -z "$cwd" ] || [ "$cwd" = "$(readlink -f "$DATA")" ]
}

listener_pids() {
    command -v ss >/dev/null 2>&1 || return 0
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true
}

port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

port_owner_desc() {
    local pid desc=""
    for pid in $(listener_pids "$1"); do
        desc+="${desc:+, }pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-120 || echo '?'))"
    done
    printf '%s' "${desc:-unknown process}"
}

# Prints the postmaster PID serving our data directory, if any.
running_pid() {
    local pid
    if [ -f "$DATA/postmaster.pid" ]; then
        pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
        if pid_is_ours "$pid"; then echo "$pid"; return 0; fi
    fi
    # postmaster.pid lost but the server still listens on our port?
    for pid in $(listener_pids "$PORT"); do
        if pid_is_ours "$pid"; then echo "$pid"; return 0; fi
    done
    return 1
}

running_port() {
    local p
    p="$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)"
    echo "${p:-$PORT}"
}

# postmaster.pid / socket lock files pointing at a live process that is not our server (PID
# reuse after a reboot) make the postmaster refuse to start. Dead PIDs are left to postgres,
# which handles them itself (including its shared-memory safety check).
clear_stale_locks() {
    local f pid
    for f in "$DATA/postmaster.pid" "$RUN/.s.PGSQL.$PORT.lock"; do
        [ -f "$f" ] || continue
        pid="$(head -n1 "$f" 2>/dev/null | tr -d ' -' || true)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! pid_is_ours "$pid"; then
            log "removing stale $(basename "$f") (PID $pid now belongs to another process)"
            rm -f "$f"
        fi
    done
}

# The port this checkout's cluster listens on: REGISTRY_PG_PORT if set; else the one kept in
# $BASE/port; else (an older cluster without that file) the port it runs on; else one derived from
# the checkout's path, or the next free one. A kept port that another process took since is replaced.
resolve_port() {
    [ -n "$PORT" ] && return 0
    local kept="" pid
    [ -s "$BASE/port" ] && kept="$(tr -dc '0-9' <"$BASE/port")"
    if [ -z "$kept" ] && [ -f "$DATA/postmaster.pid" ]; then
        pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
        pid_is_ours "$pid" && kept="$(sed -n 4p "$DATA/postmaster.pid" | tr -dc '0-9')"
    fi
    if [ -n "$kept" ]; then
        PORT="$kept"
        if running_pid >/dev/null || ! port_in_use "$PORT"; then
            [ "${1:-}" = keep ] && printf '%s\n' "$PORT" >"$BASE/port"
            return 0
        fi
        log "port $PORT, kept for this checkout, is now taken by $(port_owner_desc "$PORT"); choosing another"
    fi
    [ "${1:-}" = keep ] || { PORT=$(( 55432 + 16#${REPO_HASH:0:4} % 1000 )); return 0; }
    local p=$(( 55432 + 16#${REPO_HASH:0:4} % 1000 )) i
    for ((i = 0; i < 200; i++)); do
        if ! port_in_use "$p"; then PORT="$p"; printf '%s\n' "$PORT" >"$BASE/port"; return 0; fi
        p=$(( p + 1 )); [ "$p" -le 65535 ] || p=55432
    done
    die "no free port found from $(( 55432 + 16#${REPO_HASH:0:4} % 1000 )) on; set REGISTRY_PG_PORT"
}

# ---------------------------------------------------------------------------------------------
# Cluster operations
# ---------------------------------------------------------------------------------------------
init_cluster() {
    [ -f "$DATA/PG_VERSION" ] && return 0
    if [ -n "$(ls -A "$DATA")" ]; then
        die "$DATA is not empty but holds no cluster (no PG_VERSION); remove it and retry"
    fi
    local -a loc=(--no-locale)
    if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then loc=(--locale=C.UTF-8); fi
    log "initializing a new PostgreSQL $(bin_major "$BIN") cluster in $DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 "${loc[@]}" \
        --auth-local=trust --auth-host=scram-sha-256 >&2
}

start_server() {
    local pid
    if pid="$(running_pid)"; then
        local rport; rport="$(running_port)"
        if [ "$rport" != "$PORT" ]; then
            log "server (pid $pid) runs on port $rport, restarting it on port $PORT"
            stop_server
        else
            log "server already running (pid $pid, port $PORT)"
            return 0
        fi
    fi
    if port_in_use "$PORT"; then
        die "port $PORT is already in use by something other than this cluster: $(port_owner_desc "$PORT").
Stop that process or pick another port, e.g. REGISTRY_PG_PORT=$(( PORT + 1 )) $0 ensure"
    fi
    clear_stale_locks
    log "starting PostgreSQL on 127.0.0.1:$PORT (data $DATA, log $LOGFILE)"
    local opts="-c listen_addresses=127.0.0.1 -p $PORT -k '$RUN' -c fsync=on"
    opts+=" -c max_connections=200 -c shared_buffers=256MB"
    # The server log holds no citizen's data: no DETAIL (a unique violation quotes the ID number),
    # no failing statement text; the error line itself (code and constraint) stays.
    opts+=" -c log_error_verbosity=terse -c log_min_error_statement=panic"
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 120 -o "$opts" start >&2; then
        log "pg_ctl start failed; last lines of $LOGFILE:"
        tail -n 30 "$LOGFILE" >&2 || true
        exit 1
    fi
}

wait_ready() {
    local i rc
    for ((i = 0; i < 120; i++)); do
        rc=0
        as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -d postgres -t 2 || rc=$?
        [ "$rc" -eq 0 ] && return 0
        sleep 0.5
    done
    tail -n 30 "$LOGFILE" >&2 || true
    die "server on 127.0.0.1:$PORT did not become ready"
}

# Superuser psql over the private Unix socket (local trust auth).
su_psql() {
    as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres -d postgres "$@"
}

app_can_connect() {
    as_pg env PGPASSWORD="$ROLE_PASSWORD" PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -q -At -w \
        -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" -c 'select 1' >/dev/null 2>&1
}

ensure_role_and_db() {
    su_psql -v role="$ROLE" -v pw="$ROLE_PASSWORD" -v db="$DB" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB', :'role')
 WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role' AND NOT (rolcanlogin AND rolcreatedb)) \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
    if ! app_can_connect; then
        log "resetting the password of role $ROLE"
        su_psql -v role="$ROLE" -v pw="$ROLE_PASSWORD" >&2 <<'SQL'
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'pw') \gexec
SQL
        app_can_connect || die "cannot connect as $ROLE to 127.0.0.1:$PORT/$DB (see $LOGFILE)"
    fi
}

stop_server() {
    local pid
    if ! pid="$(running_pid)"; then
        log "server is not running"
        return 0
    fi
    log "stopping PostgreSQL (pid $pid)"
    if [ -f "$DATA/postmaster.pid" ]; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 120 stop >&2 && return 0
    fi
    # No usable pid file: signal the postmaster directly (SIGINT = fast shutdown).
    kill -INT "$pid" 2>/dev/null || return 0
    local i
    for ((i = 0; i < 240; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    die "server (pid $pid) did not stop"
}

# For commands that must not create or install anything.
locate_existing() {
    choose_layout 2>/dev/null
    if [ ! -f "$DATA/PG_VERSION" ]; then resolve_port; return 1; fi
    resolve_port
    resolve_bin || die "no PostgreSQL binaries found for the cluster in $DATA"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_ensure() {
    if [ -n "${ConnectionStrings__Registry:-}" ]; then
        log "ConnectionStrings__Registry is already set; not touching any local cluster"
        return 0
    fi
    resolve_bin install
    ensure_postgres_user
    choose_layout
    prepare_dirs
    take_lock
    resolve_port keep
    resolve_bin   # again: pick the binaries matching an existing cluster's version
    init_cluster
    start_server
    wait_ready
    ensure_role_and_db
    log "ready: $(conn_string)"
}

cmd_status() {
    if ! locate_existing; then
        echo "cluster:    not initialized (would live in $BASE)"
        return 3
    fi
    echo "cluster:    $DATA (PostgreSQL $(cat "$DATA/PG_VERSION"), binaries $BIN)"
    echo "socket dir: $RUN"
    echo "log:        $LOGFILE"
    local pid
    if pid="$(running_pid)"; then
        echo "state:      running (pid $pid, 127.0.0.1:$(running_port))"
        echo "connection: $(conn_string)"
        return 0
    fi
    echo "state:      stopped"
    if port_in_use "$PORT"; then echo "warning:    port $PORT is in use by $(port_owner_desc "$PORT")"; fi
    return 3
}

cmd_stop() {
    if ! locate_existing; then
        log "no cluster at $BASE; nothing to stop"
        return 0
    fi
    stop_server
}

cmd_psql() {
    cmd_ensure >&2
    local psql
    psql="$(command -v psql || true)"
    [ -n "$psql" ] || psql="$BIN/psql"
    if [ -n "${ConnectionStrings__Registry:-}" ]; then
        # Translate the ADO.NET-style string into libpq environment variables.
        local kv k v
        local -a envs=()
        IFS=';' read -r -a kvs <<<"$ConnectionStrings__Registry"
        for kv in "${kvs[@]}"; do
            [[ "$kv" == *=* ]] || continue
            k="$(printf '%s' "${kv%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
            v="${kv#*=}"
            case "$k" in
                host | server) envs+=("PGHOST=$v") ;;
                port) envs+=("PGPORT=$v") ;;
                database) envs+=("PGDATABASE=$v") ;;
                username | userid | user) envs+=("PGUSER=$v") ;;
                password) envs+=("PGPASSWORD=$v") ;;
            esac
        done
        exec env "${envs[@]}" "$psql" "$@"
    fi
    exec env PGPASSWORD="$ROLE_PASSWORD" "$psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" "$@"
}

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$SELF" >&2; }

cmd="${1:-ensure}"
[ $# -gt 0 ] && shift
case "$cmd" in
    ensure) cmd_ensure >&2; print_export ;;
    env) cmd_ensure >&2; print_export ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    psql) cmd_psql "$@" ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
esac
