// The one storage account: the Functions host's own storage (AzureWebJobsStorage: timer schedule
// and singleton leases, function keys), the deployment package, and the snapshot archive.
// Shared keys are off, so every caller signs in with Entra ID; nothing holds an account key.

param name string
param location string
param tags object
@description('Blob container Flex Consumption deploys the app package to.')
param deploymentContainerName string
@description('Archive container (SNAPSHOT_CONTAINER); the app would create it, but declaring it here lets soft delete cover it from the first day.')
param snapshotContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'
    properties: {
      // The archive exists to outlive Graph's 180 days: a deleted snapshot can be undeleted for
      // two weeks. The app only ever creates blobs, so this costs nothing in normal running.
      deleteRetentionPolicy: {
        enabled: true
        days: 14
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: 14
      }
    }

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }

    resource snapshotContainer 'containers' = {
      name: snapshotContainerName
    }
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
