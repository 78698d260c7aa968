# Grants Microsoft Graph's Reports.Read.All application permission (an app role) to the function
# app's managed identity, so it can read usage reports. Idempotent: it looks for the assignment
# first and changes nothing when it exists. The PowerShell twin of grant-graph-permission.sh.
#
# Run by `azd provision` / `azd up` as the postprovision hook on Windows (azure.yaml), with the
# outputs of infra/main.bicep in the environment. It needs PowerShell 7 (`pwsh`): without it azd
# falls back to Windows PowerShell 5, which stops at `#Requires -Version 7.0`. By hand:
#
#   ./infra/scripts/grant-graph-permission.ps1 [-PrincipalId <object id>]
#
# PrincipalId defaults to $env:AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID (`azd env get-values` shows
# it). It uses the Azure CLI (`az login`; not azd's own sign-in). Granting a Graph app role needs
# a directory role such as Privileged Role Administrator (or Global Administrator). Without it,
# the script prints the exact command for an administrator and still exits 0: the deployment
# itself is complete, only the permission is missing.

#Requires -Version 7.0

param(
  [string] $PrincipalId = $env:AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$GraphApi = 'https://graph.microsoft.com/v1.0'
$GraphAppId = '00000003-0000-0000-c000-000000000000' # Microsoft Graph, in every tenant
$ReportsReadAll = '230c1aed-a721-4c5d-9cb4-a90514e508ef' # its Reports.Read.All app role
$TenantId = $env:AZURE_TENANT_ID
$AppName = if ($env:AZURE_FUNCTION_APP_NAME) { $env:AZURE_FUNCTION_APP_NAME } else { 'the function app' }
$script:GraphSpId = ''

function Say([string] $Message) {
  Write-Host "grant-graph-permission: $Message"
}

# Runs az, returning its standard output; $script:AzError holds what it said on failure.
function Invoke-Az([string[]] $Arguments) {
  # Native stderr must not become a terminating error here: it is read from the file.
  $ErrorActionPreference = 'Continue'
  $errorPath = (New-TemporaryFile).FullName
  try {
    $output = & az @Arguments 2>$errorPath
    $script:AzOk = ($LASTEXITCODE -eq 0)
    $script:AzError = (Get-Content -Raw -Path $errorPath) ?? ''
    return ($output -join "`n").Trim()
  } finally {
    Remove-Item -Force -Path $errorPath
  }
}

# What an administrator runs instead; with the ids known so far filled in.
function Write-AdminCommand {
  $tenant = if ($TenantId) { $TenantId } else { '<tenant id>' }
  $resourceId = if ($script:GraphSpId) { $script:GraphSpId } else { "`$(az ad sp show --id $GraphAppId --query id -o tsv)" }
  Write-Host @"

ACTION NEEDED: the identity of $AppName does not have Microsoft Graph's Reports.Read.All yet.
An administrator with Privileged Role Administrator (or Global Administrator) in tenant
$tenant can grant it with the Azure CLI (after 'az login --tenant $tenant'), from bash:

  az rest --method POST \
    --url "$GraphApi/servicePrincipals/$PrincipalId/appRoleAssignments" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$PrincipalId\",\"resourceId\":\"$resourceId\",\"appRoleId\":\"$ReportsReadAll\"}"

or with Microsoft Graph PowerShell (Connect-MgGraph -Scopes AppRoleAssignment.ReadWrite.All,Application.Read.All):

  New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $PrincipalId ``
    -PrincipalId $PrincipalId -AppRoleId $ReportsReadAll ``
    -ResourceId (Get-MgServicePrincipal -Filter "appId eq '$GraphAppId'").Id

or by running this script from a clone of the repository:

  ./infra/scripts/grant-graph-permission.ps1 -PrincipalId $PrincipalId

Until then the report endpoint answers 502 with a hint about Reports.Read.All.

"@
  # The last line, which azd leaves on screen: the outcome and the whole command on one line.
  $body = "{\`"principalId\`":\`"$PrincipalId\`",\`"resourceId\`":\`"$resourceId\`",\`"appRoleId\`":\`"$ReportsReadAll\`"}"
  Say "ACTION NEEDED: Reports.Read.All is not granted; an administrator runs: az rest --method POST --url `"$GraphApi/servicePrincipals/$PrincipalId/appRoleAssignments`" --headers `"Content-Type=application/json`" --body `"$body`""
}

# Ends the script without failing the deployment.
function Stop-Granting([string] $Reason) {
  Say $Reason
  if ($script:AzError) {
    $said = $script:AzError.Substring(0, [Math]::Min(600, $script:AzError.Length))
    Say "the Azure CLI said: $said"
  }
  Write-AdminCommand
  exit 0
}

$script:AzError = ''
if (-not $PrincipalId) {
  Say 'no principal id: pass -PrincipalId or set AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID (an output of infra/main.bicep). Nothing done.'
  exit 0
}
if ($PrincipalId -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') {
  Say "'$PrincipalId' is not an object id (a GUID). Nothing done."
  exit 0
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Stop-Granting 'the Azure CLI (az) is not installed here, so the permission was not granted.'
}
$signedInTenant = Invoke-Az @('account', 'show', '--query', 'tenantId', '-o', 'tsv')
if (-not $script:AzOk) {
  Stop-Granting "the Azure CLI is not signed in ('az login'), so the permission was not granted."
}
if ($TenantId -and $signedInTenant -ne $TenantId) {
  $script:AzError = ''
  Stop-Granting "the Azure CLI is signed in to tenant $signedInTenant, but the app is in $TenantId ('az login --tenant $TenantId'). Nothing done."
}
if (-not $TenantId) { $TenantId = $signedInTenant }

# `az ad sp show --id <appId>`, not a `servicePrincipals(appId='...')` URL: on Windows `az` is
# az.cmd, a batch file, and cmd.exe breaks an argument with parentheses in it (Azure CLI issues
# 14783 and 28692). No argument this script passes to az contains one; test/infra checks that.
$script:GraphSpId = Invoke-Az @('ad', 'sp', 'show', '--id', $GraphAppId, '--query', 'id', '-o', 'tsv')
if (-not $script:AzOk) {
  $script:GraphSpId = ''
  Stop-Granting "could not look up Microsoft Graph's service principal in this tenant."
}

# A new identity can take a minute to appear in the directory Graph reads: retry while it is
# not found, and only then.
$grantedBy = ''
foreach ($attempt in 1..6) {
  # The resources that granted the identity an app role with Reports.Read.All's id.
  $grantedBy = Invoke-Az @('rest', '--method', 'GET',
    '--url', "$GraphApi/servicePrincipals/$PrincipalId/appRoleAssignments",
    '--query', "value[?appRoleId=='$ReportsReadAll'].resourceId",
    '-o', 'tsv')
  if ($script:AzOk) { break }
  if ($script:AzError -notmatch 'Request_ResourceNotFound' -or $attempt -eq 6) {
    Stop-Granting "could not read the app role assignments of $PrincipalId."
  }
  Say "the identity is not in the directory yet; retrying in 10 seconds ($attempt/5)."
  Start-Sleep -Seconds 10
}

if (($grantedBy -split '\s+') -contains $script:GraphSpId) {
  Say "$AppName's identity ($PrincipalId) already has Microsoft Graph Reports.Read.All. Nothing to do."
  exit 0
}

# The body goes through a file: quoting JSON for a native command differs between PowerShell
# versions.
$bodyFile = New-TemporaryFile
try {
  @{ principalId = $PrincipalId; resourceId = $script:GraphSpId; appRoleId = $ReportsReadAll } |
    ConvertTo-Json -Compress | Set-Content -NoNewline -Encoding utf8 -Path $bodyFile.FullName
  $null = Invoke-Az @('rest', '--method', 'POST',
    '--url', "$GraphApi/servicePrincipals/$PrincipalId/appRoleAssignments",
    '--headers', 'Content-Type=application/json',
    '--body', "@$($bodyFile.FullName)", '-o', 'none')
} finally {
  Remove-Item -Force -Path $bodyFile.FullName
}

if ($script:AzOk) {
  Say "a managed identity's token can carry its old roles for up to 24 hours; until it renews, the endpoint may still answer 502 (403 from Graph)."
  Say "granted Microsoft Graph Reports.Read.All to $AppName's identity ($PrincipalId)."
  exit 0
}
if ($script:AzError -match 'already exists') {
  Say "$AppName's identity ($PrincipalId) already has Microsoft Graph Reports.Read.All (granted meanwhile). Nothing to do."
  exit 0
}
if ($script:AzError -match 'Authorization_RequestDenied|Insufficient privileges|Forbidden') {
  Stop-Granting 'you are not allowed to grant Graph app roles in this tenant (that needs e.g. Privileged Role Administrator).'
}
Stop-Granting 'granting the permission failed.'
