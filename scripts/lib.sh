# scripts/lib.sh - what every script shares (sourced by demo-lib.sh and scratch-db.sh, not run).

# The schema the register's store lives in: the service's Registry__Schema, the same for the nodes a
# script starts and for the SQL it runs itself (${REGISTRY_SCHEMA}.mt_events).
REGISTRY_SCHEMA="${REGISTRY_SCHEMA:-${Registry__Schema:-registry}}"
export Registry__Schema="$REGISTRY_SCHEMA"
