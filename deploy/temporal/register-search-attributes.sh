#!/usr/bin/env bash
# Registers the search attributes concat's jobs are found by (ConcatState, ConcatSegments) in the
# job namespace. Run once at stack start by the setup-search-attributes service (admin-tools image),
# and safe to run again: an attribute that already exists with the right type is left alone.
#
# The server can pass its health check before auto-setup has created the namespace, so every step
# is retried until SETUP_ATTEMPTS tries have failed; then it exits non-zero, which stops the
# workers (they wait for this service to complete successfully) instead of hanging the stack.
set -euo pipefail

namespace="${TEMPORAL_NAMESPACE:-default}"
attempts="${SETUP_ATTEMPTS:-90}"
pause="${SETUP_PAUSE_SECONDS:-2}"
# name:type, as `temporal operator search-attribute create` takes them.
attributes=(ConcatState:Keyword ConcatSegments:Int)

# The attribute's type as the server reports it, lower-cased ("" when it is missing or the server
# cannot answer). The JSON names the type INDEXED_VALUE_TYPE_KEYWORD or Keyword depending on the CLI
# version, so only its last word counts. Plain grep and sed: the image may have no jq.
registered_type() {
  temporal operator search-attribute list --namespace "$namespace" --output json 2>/dev/null \
    | tr -d ' \n' | grep -o "\"$1\":\"[A-Za-z_]*\"" | sed 's/.*:"//; s/"$//; s/.*_//' | tr '[:upper:]' '[:lower:]'
}

register() {
  local name="$1" type="$2" found
  found="$(registered_type "$name" || true)"
  if [[ "$found" == "${type,,}" ]]; then
    echo "search attribute $name ($type) is registered in namespace $namespace"
    return 0
  fi
  if [[ -n "$found" ]]; then
    # Retrying cannot fix a wrong type; say so and stop.
    echo "search attribute $name exists in namespace $namespace as $found, not $type;" \
      "remove it (temporal operator search-attribute remove --namespace $namespace --name $name) and run this again" >&2
    exit 2
  fi
  temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type" >/dev/null || true
  [[ "$(registered_type "$name" || true)" == "${type,,}" ]] \
    && echo "search attribute $name ($type) registered in namespace $namespace"
}

echo "registering search attributes in namespace $namespace at ${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
for ((try = 1; try <= attempts; try++)); do
  missing=0
  for attribute in "${attributes[@]}"; do
    register "${attribute%%:*}" "${attribute#*:}" || missing=1
  done
  if ((missing == 0)); then
    exit 0
  fi
  echo "try $try/$attempts: Temporal or namespace $namespace not ready yet; again in ${pause}s"
  sleep "$pause"
done
echo "gave up registering search attributes after $attempts tries; is Temporal at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} up?" >&2
exit 1
