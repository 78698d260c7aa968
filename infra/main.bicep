// `azd up` provisions this: one resource group holding the function app (Flex Consumption,
// Node.js 22), its user-assigned identity, one storage account (host storage, deployment package,
// snapshot archive), Log Analytics with Application Insights, the role assignments between
// them, and an availability test with an alert on the archive's /status. Graph's Reports.Read.All is granted after it, by the postprovision hook (azure.yaml).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and seeds unique resource names.')
param environmentName string

// The regions that offer the Flex Consumption plan, from Microsoft's list
// (`az functionapp list-flexconsumption-locations`, as of this writing; the list only grows):
// any other region fails here, before anything is created, not late in the deployment.
@minLength(1)
@description('Region of every resource; it must offer the Flex Consumption plan.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'japanwest'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of a person who may read the archive; azd passes the deployer. Empty: nobody.')
param archiveReaderPrincipalId string = ''

@description('E-mail address the /status alert notifies (`azd env set ALERT_EMAIL ...`). Empty: the alert shows in the portal only.')
param alertEmail string = ''

// The app's settings. Each default is the one documented in shared/config/registry.ts; change
// one with `azd env set NAME value` and `azd provision` (main.parameters.json maps them).
@description('REPORTS: comma-separated route slugs of the reports served and archived; all: the whole catalogue.')
param reports string = 'all'
@description('SNAPSHOT_SCHEDULE: six-field NCRONTAB in UTC for the snapshot timer.')
param snapshotSchedule string = '0 0 6 * * *'
@description('SNAPSHOT_PERIODS: comma-separated periods the timer stores each run.')
param snapshotPeriods string = 'D7'
@description('SNAPSHOT_CONTAINER: the archive container.')
param snapshotContainer string = 'graph-reports'
@description('REPORT_CACHE_SECONDS: seconds a report is served without asking Graph.')
param reportCacheSeconds string = '3600'
@description('REPORT_STALE_SECONDS: how long the last good report may be served stale when Graph fails.')
param reportStaleSeconds string = '604800'
@description('GRAPH_CALL_BUDGET: report calls per 10 minutes per instance.')
param graphCallBudget string = '10'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package'

// What the app reads (besides the host and identity settings api.bicep adds).
var appSettings = {
  REPORTS: reports
  SNAPSHOT_SCHEDULE: snapshotSchedule
  SNAPSHOT_PERIODS: snapshotPeriods
  SNAPSHOT_CONTAINER: snapshotContainer
  REPORT_CACHE_SECONDS: reportCacheSeconds
  REPORT_STALE_SECONDS: reportStaleSeconds
  GRAPH_CALL_BUDGET: graphCallBudget
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    snapshotContainerName: snapshotContainer
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    archiveReaderPrincipalId: archiveReaderPrincipalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appSettings: appSettings
  }
  // The host's first start needs its storage and telemetry roles in place.
  dependsOn: [
    rbac
  ]
}

// The availability test on /status and its alert (after the app, whose host holds the test's key).
module availability 'app/availability.bicep' = {
  name: 'availability'
  scope: rg
  params: {
    functionAppName: api.outputs.name
    functionAppHostName: api.outputs.defaultHostName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    location: location
    tags: tags
    alertEmail: alertEmail
  }
}

// azd stores these in the environment (.azure/<env>/.env); the postprovision hook reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_URL string = 'https://${api.outputs.defaultHostName}'
output AZURE_FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_STATUS_WEB_TEST_NAME string = availability.outputs.webTestName
output AZURE_STATUS_ALERT_NAME string = availability.outputs.alertName
