// Azure role assignments, each scoped to one resource, never to the resource group or the
// subscription. (Graph's Reports.Read.All is an Entra app role, not an Azure role: it is granted
// by infra/scripts/grant-graph-permission.*, see the README.)

param storageAccountName string
param applicationInsightsName string
@description('Object id of the function app identity\'s service principal.')
param appPrincipalId string
@description('Optional: a person who may read the archive (the deployer, by default). Empty: nobody.')
param archiveReaderPrincipalId string = ''

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Storage Blob Data Owner is the role Microsoft documents for identity-based AzureWebJobsStorage:
// the host creates and leases blobs in its own containers (timer schedule status, singleton
// locks, function keys) and the platform reads the deployment package; the app creates the
// archive container and its blobs. On an account without a hierarchical namespace, Owner adds
// to Contributor only the management of POSIX ACLs, which this account does not have. Scoped to
// this account, which holds nothing but this app's data.
resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Lets the identity send telemetry to Application Insights, whose local (key) auth is off.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Read-only, so that `az storage blob list --auth-mode login` and the portal can show the
// archive: with shared keys off, even a subscription Owner needs a data role to see blobs.
resource archiveReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(archiveReaderPrincipalId)) {
  name: guid(storage.id, archiveReaderPrincipalId, storageBlobDataReader)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: archiveReaderPrincipalId
  }
}
