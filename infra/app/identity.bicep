// The function app's user-assigned managed identity. The app, the Functions host and Application
// Insights all sign in as this one identity: it holds the storage and monitoring roles
// (rbac.bicep) and, granted by infra/scripts/grant-graph-permission.*, Graph's Reports.Read.All.
// User-assigned rather than system-assigned so that the roles exist before the app first starts,
// and so that the grant survives re-creating the app.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
@description('Object id of the identity\'s service principal: what role and app-role assignments name.')
output principalId string = identity.properties.principalId
