#!/usr/bin/env bash
# Grants Microsoft Graph's Reports.Read.All application permission (an app role) to the function
# app's managed identity, so it can read usage reports. Idempotent: it looks for the assignment
# first and changes nothing when it exists.
#
# Run by `azd provision` / `azd up` as the postprovision hook (azure.yaml), with the outputs of
# infra/main.bicep in the environment. By hand:
#
#   ./infra/scripts/grant-graph-permission.sh [PRINCIPAL_ID]
#
# PRINCIPAL_ID defaults to $AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID (`azd env get-values` shows it).
# It uses the Azure CLI (`az login`; not azd's own sign-in). Granting a Graph app role needs a
# directory role such as Privileged Role Administrator (or Global Administrator). Without it, the
# script prints the exact command for an administrator and still exits 0: the deployment itself
# is complete, only the permission is missing, and the endpoint answers 502 with a hint about
# Reports.Read.All until an administrator grants it.

# azd may start this with sh; the checks below use bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

readonly GRAPH_API='https://graph.microsoft.com/v1.0'
readonly GRAPH_APP_ID='00000003-0000-0000-c000-000000000000' # Microsoft Graph, in every tenant
readonly REPORTS_READ_ALL='230c1aed-a721-4c5d-9cb4-a90514e508ef' # its Reports.Read.All app role
readonly GUID_PATTERN='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

principal_id="${1:-${AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID:-}}"
tenant_id="${AZURE_TENANT_ID:-}"
app_name="${AZURE_FUNCTION_APP_NAME:-the function app}"
graph_sp_id=''

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

say() { printf 'grant-graph-permission: %s\n' "$*"; }

# What an administrator runs instead; with the ids known so far filled in.
print_admin_command() {
  local resource_id="$graph_sp_id"
  if [[ -z "$resource_id" ]]; then
    resource_id="\$(az ad sp show --id $GRAPH_APP_ID --query id -o tsv)"
  fi
  cat <<EOF

ACTION NEEDED: the identity of $app_name does not have Microsoft Graph's Reports.Read.All yet.
An administrator with Privileged Role Administrator (or Global Administrator) in tenant
${tenant_id:-<tenant id>} can grant it with the Azure CLI (after 'az login --tenant ${tenant_id:-<tenant id>}'):

  az rest --method POST \\
    --url "$GRAPH_API/servicePrincipals/$principal_id/appRoleAssignments" \\
    --headers "Content-Type=application/json" \\
    --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$resource_id\",\"appRoleId\":\"$REPORTS_READ_ALL\"}"

or by running this script from a clone of the repository:

  ./infra/scripts/grant-graph-permission.sh $principal_id

Until then the report endpoint answers 502 with a hint about Reports.Read.All.

EOF
  # The last line, which azd leaves on screen: the outcome and the whole command on one line.
  local body="{\\\"principalId\\\":\\\"$principal_id\\\",\\\"resourceId\\\":\\\"$resource_id\\\",\\\"appRoleId\\\":\\\"$REPORTS_READ_ALL\\\"}"
  say "ACTION NEEDED: Reports.Read.All is not granted; an administrator runs: az rest --method POST --url \"$GRAPH_API/servicePrincipals/$principal_id/appRoleAssignments\" --headers \"Content-Type=application/json\" --body \"$body\""
}

# Ends the script without failing the deployment.
give_up() {
  say "$1"
  if [[ -s "$errors" ]]; then
    say "the Azure CLI said: $(head -c 600 "$errors")"
  fi
  print_admin_command
  exit 0
}

if [[ -z "$principal_id" ]]; then
  say "no principal id: pass it as the first argument or set AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID (an output of infra/main.bicep). Nothing done."
  exit 0
fi
if [[ ! "$principal_id" =~ $GUID_PATTERN ]]; then
  say "'$principal_id' is not an object id (a GUID). Nothing done."
  exit 0
fi

if ! command -v az >/dev/null 2>&1; then
  give_up "the Azure CLI (az) is not installed here, so the permission was not granted."
fi
if ! signed_in_tenant="$(az account show --query tenantId -o tsv 2>"$errors")"; then
  give_up "the Azure CLI is not signed in ('az login'), so the permission was not granted."
fi
if [[ -n "$tenant_id" && "$signed_in_tenant" != "$tenant_id" ]]; then
  : >"$errors"
  give_up "the Azure CLI is signed in to tenant $signed_in_tenant, but the app is in $tenant_id ('az login --tenant $tenant_id'). Nothing done."
fi
tenant_id="${tenant_id:-$signed_in_tenant}"

# `az ad sp show --id <appId>` rather than a `servicePrincipals(appId='...')` URL: the PowerShell
# twin must pass no parentheses to az (Windows' az.cmd wrapper breaks on them), and both
# scripts make the same calls.
if ! graph_sp_id="$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv 2>"$errors")"; then
  graph_sp_id=''
  give_up "could not look up Microsoft Graph's service principal in this tenant."
fi

# A new identity can take a minute to appear in the directory Graph reads: retry while it is
# not found, and only then.
granted_by=''
for attempt in 1 2 3 4 5 6; do
  # The resources that granted the identity an app role with Reports.Read.All's id.
  if granted_by="$(az rest --method GET \
    --url "$GRAPH_API/servicePrincipals/$principal_id/appRoleAssignments" \
    --query "value[?appRoleId=='$REPORTS_READ_ALL'].resourceId" \
    -o tsv 2>"$errors")"; then
    break
  fi
  if ! grep -q 'Request_ResourceNotFound' "$errors" || [[ "$attempt" == 6 ]]; then
    give_up "could not read the app role assignments of $principal_id."
  fi
  say "the identity is not in the directory yet; retrying in 10 seconds ($attempt/5)."
  sleep 10
done

if grep -qixF "$graph_sp_id" <<<"$granted_by"; then
  say "$app_name's identity ($principal_id) already has Microsoft Graph Reports.Read.All. Nothing to do."
  exit 0
fi

body="{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$REPORTS_READ_ALL\"}"
if az rest --method POST \
  --url "$GRAPH_API/servicePrincipals/$principal_id/appRoleAssignments" \
  --headers 'Content-Type=application/json' \
  --body "$body" -o none 2>"$errors"; then
  say "a managed identity's token can carry its old roles for up to 24 hours; until it renews, the endpoint may still answer 502 (403 from Graph)."
  say "granted Microsoft Graph Reports.Read.All to $app_name's identity ($principal_id)."
  exit 0
fi

if grep -qi 'already exists' "$errors"; then
  say "$app_name's identity ($principal_id) already has Microsoft Graph Reports.Read.All (granted meanwhile). Nothing to do."
  exit 0
fi
if grep -qiE 'Authorization_RequestDenied|Insufficient privileges|Forbidden' "$errors"; then
  give_up "you are not allowed to grant Graph app roles in this tenant (that needs e.g. Privileged Role Administrator)."
fi
give_up "granting the permission failed."
