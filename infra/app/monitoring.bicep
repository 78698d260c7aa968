// Logs and telemetry: a Log Analytics workspace and a workspace-based Application Insights
// resource. Local (key) authentication is off on both: only a caller holding Monitoring Metrics
// Publisher on Application Insights (the app's identity, rbac.bicep) can send telemetry, and the
// workspace accepts no shared-key ingestion or queries, only Entra ID.

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object
@description('Days Log Analytics keeps logs; 30 is included in the ingestion price.')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output applicationInsightsId string = applicationInsights.id
output workspaceId string = workspace.id
