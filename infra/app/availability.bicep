// Monitoring that is deployed, not described: an Application Insights standard availability test
// that calls the archive's `/status` every five minutes from five regions, and a metric alert on
// its availability. `/status` answers 200 only when the last snapshot run succeeded and the
// archive is fresh, and 503 otherwise, so one HTTP check covers the timer, Graph, the Graph
// permission and storage.
//
// `/status` is `authLevel: function`. The test authenticates with a host-level function key of
// its own, `availability-test`, created here (Microsoft.Web/sites/host/functionKeys) with a value
// generated at provision time (newGuid(), a fresh one on every `azd provision`, so the key
// rotates with each provision and the test always carries the current one). It can be revoked
// alone without touching `default` or the master key. Who can read it: anyone who can read the
// web test's properties (Reader on the resource group or above: the key is in its request
// header) and anyone who can list the app's keys (Website Contributor, Contributor, Owner). The
// key opens only the app's `authLevel: function` endpoints, all read-only GETs of the report.

param functionAppName string
param functionAppHostName string
param applicationInsightsName string
param location string
param tags object
@description('Where the alert sends e-mail; empty: no action group (the alert shows in the portal only).')
param alertEmail string = ''
@secure()
@description('The availability test\'s function key. Generated: nobody types or stores it.')
param statusKey string = newGuid()

var statusPath = '/api/reports/skype-p2p-minute-counts/status'
var testName = 'status-${functionAppName}'

// A host-level function key: per-function keys (sites/functions/keys) need the function to
// exist, and at provision time no code is deployed yet. The platform stores it with the host's
// other keys (in its storage account, reached as the app's identity).
// BCP081 off for this line only: the Bicep type library has no schema for host keys (they are a
// runtime API that ARM proxies, as `az functionapp keys set` uses), so the compiler cannot check
// the two properties; test/infra checks them in the compiled template instead.
#disable-next-line BCP081
resource availabilityKey 'Microsoft.Web/sites/host/functionKeys@2024-04-01' = {
  name: '${functionAppName}/default/availability-test'
  properties: {
    name: 'availability-test'
    value: statusKey
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource statusTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: testName
  location: location
  // The hidden-link tag is how Application Insights lists the test under Availability.
  tags: union(tags, { 'hidden-link:${applicationInsights.id}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: testName
    Name: testName
    Description: 'GET ${statusPath}: 200 while the last snapshot run succeeded and the archive is fresh.'
    Enabled: true
    Kind: 'standard'
    Frequency: 300
    Timeout: 30
    // One failed try is retried at once: a cold start alone must not count as a failure.
    RetryEnabled: true
    // Five locations, as Microsoft recommends for standard tests (ids from its list of test
    // locations): East US, West US, West Europe, North Europe, Southeast Asia.
    Locations: [
      { Id: 'us-va-ash-azr' }
      { Id: 'us-ca-sjc-azr' }
      { Id: 'emea-nl-ams-azr' }
      { Id: 'emea-gb-db3-azr' }
      { Id: 'apac-sg-sin-azr' }
    ]
    Request: {
      RequestUrl: 'https://${functionAppHostName}${statusPath}'
      HttpVerb: 'GET'
      ParseDependentRequests: false
      Headers: [
        {
          key: 'x-functions-key'
          value: statusKey
        }
      ]
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
  dependsOn: [
    availabilityKey
  ]
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${functionAppName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'archive'
    enabled: true
    emailReceivers: [
      {
        name: 'deployer'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Fires when the test has failed in most locations for 30 minutes: the archive is unhealthy
// (last run failed, stale, empty, or storage unreachable) or the app does not answer. One
// flaky location alone (availability 80%) does not fire it. The 30 minutes are the grace a
// fresh deployment gets: `azd up` provisions, deploys, and its postdeploy hook
// (infra/scripts/first-snapshot.mjs) runs the first snapshot within minutes, so /status is
// healthy long before; and the archive's own signal is day-scale (one run a day), so waiting
// half an hour costs nothing.
resource statusAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${testName}'
  location: 'global'
  tags: tags
  properties: {
    description: 'The archive\'s /status has not answered 200 for 30 minutes: see the README, "Keep an eye on it".'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT30M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'status-availability'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'availabilityResults/availabilityPercentage'
          dimensions: [
            {
              name: 'availabilityResult/name'
              operator: 'Include'
              values: [
                testName
              ]
            }
          ]
          operator: 'LessThan'
          threshold: 60
          timeAggregation: 'Average'
        }
      ]
    }
    actions: empty(alertEmail)
      ? []
      : [
          {
            actionGroupId: actionGroup.id
          }
        ]
  }
  dependsOn: [
    statusTest
  ]
}

output webTestName string = statusTest.name
output alertName string = statusAlert.name
