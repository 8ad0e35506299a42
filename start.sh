#!/usr/bin/env bash
# Starts everything on this machine: a private PostgreSQL cluster (installed with apt-get if
# missing), the schema, a demo population when the register is empty, and the GraphQL API with
# GraphiQL on http://127.0.0.1:5080/graphql and the staff console on http://127.0.0.1:5080/console (or the next
# free port). Ctrl-C stops the API; the data stays for next time.
# Bring your own PostgreSQL by setting ConnectionStrings__Registry first.
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "start.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# An assignment, not eval "$(…)": a failed database step must stop the script here.
pg_env="$(scripts/postgres.sh env)" || { echo "$0: the database step failed (see above)" >&2; exit 1; }
eval "$pg_env"
export ConnectionStrings__Registry

# Keys of this checkout's own, made once, unless the operator provides them: the token signing key
# and the integrity checkpoint key are separate, so whoever checks checkpoints cannot mint tokens.
own_key() {
    mkdir -p .registry
    [ -s ".registry/$1" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n=+/' > ".registry/$1")
    cat ".registry/$1"
}
[ -n "${Auth__SigningKey:-}" ] || Auth__SigningKey="$(own_key signing-key)"
[ -n "${Integrity__CheckpointKey:-}" ] || Integrity__CheckpointKey="$(own_key checkpoint-key)"
export Auth__SigningKey Integrity__CheckpointKey
# 5080 unless another checkout's API holds it: then the next free port (printed below).
if [ -z "${ASPNETCORE_URLS:-}" ]; then
    api_port=5080
    while (exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null; do api_port=$((api_port + 1)); done
    ASPNETCORE_URLS="http://127.0.0.1:$api_port"
fi
export ASPNETCORE_URLS
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# Webhook callbacks to this machine (the README's consumer); any other host must be listed here.
export Webhooks__AllowedHosts="${Webhooks__AllowedHosts:-127.0.0.1}"

dotnet build Registry.Api -c Release -nologo -v quiet
cd Registry.Api
api=(dotnet bin/Release/net10.0/Registry.Api.dll)
"${api[@]}" seed
token="$("${api[@]}" token --role caseworker 2>/dev/null | tail -n 1)"
cat <<MSG

  Registry is starting on ${ASPNETCORE_URLS}
  GraphiQL:  ${ASPNETCORE_URLS}/graphql   (in Development it carries a caseworker token)
  Console:   ${ASPNETCORE_URLS}/console   (in Development you sign in by picking a role)
  A caseworker token for curl (12 h):
    export TOKEN=${token}

MSG
exec "${api[@]}" serve
