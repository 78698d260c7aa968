#!/usr/bin/env bash
# A stand-in for the Azure CLI, for the grant-graph-permission tests: it answers the few calls
# the script makes the way `az` does (output on stdout, errors on stderr, exit 1 on failure) and
# logs each call. Its behaviour comes from the environment:
#   FAKE_AZ_LOG             file that gets one line per call, the arguments separated by tabs
#   FAKE_AZ_TENANT          tenant of the signed-in account; unset: not signed in
#   FAKE_AZ_GRAPH_SP        object id of Microsoft Graph's service principal
#   FAKE_AZ_GRANTED_BY      resource ids the identity holds Reports.Read.All from (one a line)
#   FAKE_AZ_NOT_FOUND       how many reads answer Request_ResourceNotFound first (a new identity)
#   FAKE_AZ_POST            ok | denied | exists | broken
#   FAKE_AZ_MASTER_KEY      the function app's master key (`functionapp keys list`); unset: denied
set -euo pipefail
(IFS=$'\t'; printf '%s\n' "$*") >>"$FAKE_AZ_LOG"

# Answers with the value of the variable named $1, or fails as az does with the error $2 when
# that variable is unset.
answer_or_fail() {
  if [[ -z "${!1:-}" ]]; then
    echo "ERROR: $2" >&2
    exit 1
  fi
  echo "${!1}"
  exit 0
}

if [[ "$1 $2 $3" == 'functionapp keys list' ]]; then
  answer_or_fail FAKE_AZ_MASTER_KEY "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.Web/sites/host/listkeys/action'."
fi

if [[ "$1 $2 $3" == 'ad sp show' ]]; then
  # az ad sp show --id <appId> --query id -o tsv: Microsoft Graph's service principal.
  if [[ "$5" == '00000003-0000-0000-c000-000000000000' ]]; then
    echo "$FAKE_AZ_GRAPH_SP"
    exit 0
  fi
  echo "ERROR: Service principal '$5' doesn't exist" >&2
  exit 3
fi

if [[ "$1 $2" == 'account show' ]]; then
  answer_or_fail FAKE_AZ_TENANT "Please run 'az login' to setup account."
fi

method='' url=''
while [[ $# -gt 0 ]]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    *) shift ;;
  esac
done

case "$method $url" in
  "GET "*/appRoleAssignments)
    seen="$(grep -c appRoleAssignments "$FAKE_AZ_LOG" || true)"
    if (( seen <= ${FAKE_AZ_NOT_FOUND:-0} )); then
      echo "ERROR: Not Found({\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource does not exist.\"}})" >&2
      exit 1
    fi
    printf '%s' "${FAKE_AZ_GRANTED_BY:-}"
    ;;
  "POST "*/appRoleAssignments)
    case "${FAKE_AZ_POST:-ok}" in
      ok) ;;
      denied)
        echo "ERROR: Forbidden({\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}})" >&2
        exit 1 ;;
      exists)
        echo "ERROR: Bad Request({\"error\":{\"code\":\"Request_BadRequest\",\"message\":\"Permission being assigned already exists on the object\"}})" >&2
        exit 1 ;;
      *)
        echo "ERROR: Service Unavailable" >&2
        exit 1 ;;
    esac
    ;;
  *)
    echo "fake az: unexpected call: $method $url" >&2
    exit 2
    ;;
esac
