#!/usr/bin/env bash
# Runs the whole test suite (the console's in headless Chromium) against a real PostgreSQL: the project's private cluster
# (started if needed), or the server named by ConnectionStrings__Registry if you set it.
# Each run creates its own database and drops it afterwards.
set -euo pipefail
cd "$(dirname "$0")"
# An assignment, not eval "$(…)": a failed database step must stop the script here.
pg_env="$(scripts/postgres.sh env)" || { echo "$0: the database step failed (see above)" >&2; exit 1; }
eval "$pg_env"
export ConnectionStrings__Registry
# What the tests run besides the service: Debian's Chromium for the console's browser tests (Playwright never
# downloads a browser here), and Node for the README's webhook consumer, which a test runs as written.
install_if_missing() { # command package
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "$0: installing $2 for the tests (apt-get install -y $2)" >&2
    local as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    { "${as_root[@]}" apt-get install -y "$2" >/dev/null 2>&1 \
        || { "${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y "$2" >/dev/null; }; } \
        || { echo "$0: $2 could not be installed; install it (apt-get install -y $2) and run again" >&2; exit 1; }
}
install_if_missing /usr/bin/chromium chromium
install_if_missing node nodejs
dotnet test Registry.sln -c Release "$@"
