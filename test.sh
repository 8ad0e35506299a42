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
# The console's browser tests drive Debian's Chromium through Playwright, which never downloads a browser here.
if [ ! -x /usr/bin/chromium ]; then
    echo "$0: installing Chromium for the browser tests (apt-get install -y chromium)" >&2
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    { "${as_root[@]}" apt-get install -y chromium >/dev/null 2>&1 \
        || { "${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y chromium >/dev/null; }; } \
        || { echo "$0: Chromium could not be installed; install it (apt-get install -y chromium) and run again" >&2; exit 1; }
fi
dotnet test Registry.sln -c Release "$@"
