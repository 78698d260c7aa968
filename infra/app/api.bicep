// The function app: a Flex Consumption (FC1) plan, Node.js 22, its package deployed to a blob
// container, running as the user-assigned identity. Every setting it gets is written below or
// passed in from main.bicep; test/infra checks them against shared/config/registry.ts.

param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
@description('The app\'s own settings, each declared in shared/config/registry.ts with `deploy: true`.')
param appSettings object
@description('Memory of each instance: the app needs little, and Flex Consumption bills memory by the second of execution.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512
@description('Scale-out ceiling. Each instance has its own Graph call budget (GRAPH_CALL_BUDGET).')
param maximumInstanceCount int = 40

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux: Flex Consumption has no Windows workers.
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy the `api` service of azure.yaml to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // Flex Consumption takes the runtime here, not as FUNCTIONS_WORKER_RUNTIME or
    // WEBSITE_NODE_DEFAULT_VERSION app settings (it rejects those).
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, {
      // The host's own storage, reached as the identity (no connection string, no key). The app
      // reads the same three settings for the archive unless SNAPSHOT_STORAGE is set.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      // Telemetry, sent as the identity: the resource accepts no instrumentation-key-only data.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Selects the user-assigned identity for Graph (and for @azure/identity generally).
      AZURE_CLIENT_ID: identityClientId
    })
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
