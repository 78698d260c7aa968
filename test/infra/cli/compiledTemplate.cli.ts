import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTINGS } from '../../../shared/config/registry';
import { runProjectScript } from '../../support/processes';

/**
 * The ARM template the Bicep CLI compiles from infra/main.bicep, which is what Azure receives:
 * resource types and API versions, the app settings, the role assignments and the monitoring,
 * read from the compiled JSON. A property the compiler rejects fails the build (and lint:infra
 * fails on any warning), and a setting lost in compilation fails here. The text-level checks of
 * the Bicep sources stay in test/infra/infra.test.ts (`npm test`).
 */

interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  kind?: string;
  sku?: unknown;
  location?: string;
  scope?: string;
  condition?: string | boolean;
  properties?: Record<string, unknown> & { template?: ArmTemplate };
  tags?: unknown;
}

interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: string[];
}

interface ArmTemplate {
  parameters?: Record<string, ArmParameter>;
  variables?: Record<string, unknown>;
  resources: ArmResource[];
  outputs?: Record<string, { type: string; value: string }>;
}

let scratch: string;
let main: ArmTemplate;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'arm-'));
  // The same command as `npm run lint:infra`: it fails on any compiler or linter finding.
  runProjectScript('lint:infra', ['tools', 'infraTools', 'lintBicep.mjs'], ['--out', scratch]);
  main = JSON.parse(readFileSync(join(scratch, 'main.json'), 'utf8')) as ArmTemplate;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A module of main.bicep (a nested deployment), by its name. */
function module(name: string): {
  parameters: Record<string, { value: unknown }>;
  template: ArmTemplate;
} {
  const deployment = main.resources.find(
    (resource) => resource.type === 'Microsoft.Resources/deployments' && resource.name === name,
  );
  if (!deployment) throw new Error(`no module ${name}`);
  const properties = deployment.properties as unknown as {
    parameters: Record<string, { value: unknown }>;
    template: ArmTemplate;
  };
  return properties;
}

/** Every resource of the template and its modules, with the module it is in. */
function allResources(
  template: ArmTemplate = main,
  within = 'main',
): (ArmResource & { module: string })[] {
  return template.resources.flatMap((resource) =>
    resource.type === 'Microsoft.Resources/deployments'
      ? allResources(resource.properties!.template!, resource.name)
      : [{ ...resource, module: within }],
  );
}

function only(type: string): ArmResource & { module: string } {
  const found = allResources().filter((resource) => resource.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The top-level arguments of the first `name(...)` call in an ARM expression. */
function callArguments(expression: string, name: string): string[] {
  const start = expression.indexOf(`${name}(`);
  if (start < 0) throw new Error(`no ${name}( in ${expression}`);
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let quoted = false;
  for (let index = start + name.length + 1; index < expression.length; index += 1) {
    const char = expression[index]!;
    if (quoted) {
      current += char;
      // '' inside a string is an escaped quote, not its end.
      if (char === "'" && expression[index + 1] === "'") {
        current += "'";
        index += 1;
      } else if (char === "'") {
        quoted = false;
      }
      continue;
    }
    if (char === "'") quoted = true;
    if (char === '(') depth += 1;
    if (char === ')') {
      if (depth === 0) {
        args.push(current.trim());
        return args;
      }
      depth -= 1;
    }
    if (char === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  throw new Error(`unbalanced ${name}( in ${expression}`);
}

describe('infra/main.bicep, compiled by the Bicep CLI', () => {
  it('deploys exactly these resource types, at these API versions', () => {
    const types = allResources().map(
      (resource) => `${resource.module}: ${resource.type}@${resource.apiVersion}`,
    );
    expect(types.sort()).toEqual(
      [
        'main: Microsoft.Resources/resourceGroups@2024-03-01',
        'identity: Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31',
        'storage: Microsoft.Storage/storageAccounts@2023-05-01',
        'storage: Microsoft.Storage/storageAccounts/blobServices@2023-05-01',
        'storage: Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01',
        'storage: Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01',
        'monitoring: Microsoft.OperationalInsights/workspaces@2023-09-01',
        'monitoring: Microsoft.Insights/components@2020-02-02',
        'rbac: Microsoft.Authorization/roleAssignments@2022-04-01',
        'rbac: Microsoft.Authorization/roleAssignments@2022-04-01',
        'rbac: Microsoft.Authorization/roleAssignments@2022-04-01',
        'api: Microsoft.Web/serverfarms@2024-04-01',
        'api: Microsoft.Web/sites@2024-04-01',
        'api: Microsoft.Web/sites/config@2024-04-01',
        'availability: Microsoft.Web/sites/host/functionKeys@2024-04-01',
        'availability: Microsoft.Insights/webtests@2022-06-15',
        'availability: Microsoft.Insights/actionGroups@2023-01-01',
        'availability: Microsoft.Insights/metricAlerts@2018-03-01',
      ].sort(),
    );
  });

  it('accepts only regions that offer Flex Consumption', () => {
    const allowed = main.parameters!.location!.allowedValues!;
    expect(allowed).toEqual(expect.arrayContaining(['eastus', 'westeurope', 'swedencentral']));
    expect(allowed).not.toContain('eastus2euap'); // a canary region, not for deployments
    expect(new Set(allowed).size).toBe(allowed.length);
    expect(allowed.every((region) => /^[a-z0-9]+$/.test(region))).toBe(true);
  });

  describe('the function app', () => {
    it('runs Node.js 22 on a Flex Consumption (FC1) plan, from its blob container, as the identity', () => {
      const plan = only('Microsoft.Web/serverfarms');
      expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
      const site = only('Microsoft.Web/sites');
      expect(site.kind).toBe('functionapp,linux');
      const config = site.properties!.functionAppConfig as {
        runtime: unknown;
        deployment: { storage: { type: string; authentication: { type: string } } };
      };
      expect(config.runtime).toEqual({ name: 'node', version: '22' });
      expect(config.deployment.storage.type).toBe('blobContainer');
      expect(config.deployment.storage.authentication.type).toBe('UserAssignedIdentity');
      expect(site.properties!.httpsOnly).toBe(true);
    });

    // The app's own settings travel as main.bicep's `appSettings` variable into the module.
    const appSettings = () => {
      expect(module('api').parameters.appSettings!.value).toBe("[variables('appSettings')]");
      return main.variables!.appSettings as Record<string, string>;
    };

    it.each(SETTINGS.filter((setting) => setting.deploy).map((setting) => setting.name))(
      'sets %s from its own parameter, defaulting to the documented value',
      (name) => {
        const expression = appSettings()[name];
        const parameter = /^\[parameters\('(\w+)'\)\]$/.exec(expression ?? '')?.[1];
        expect(parameter).toBeDefined();
        const definition = SETTINGS.find((setting) => setting.name === name)!;
        const fallback = main.parameters![parameter!]!.defaultValue;
        if (definition.default !== undefined) expect(fallback).toBe(definition.default);
        else expect(typeof fallback).toBe('string');
      },
    );

    it('adds the host and identity settings to them in the one appsettings resource', () => {
      const config = only('Microsoft.Web/sites/config');
      expect(config.name).toBe("[format('{0}/{1}', parameters('name'), 'appsettings')]");
      const expression = config.properties as unknown as string;
      expect(callArguments(expression, 'union')[0]).toBe("parameters('appSettings')");
      const pairs = callArguments(expression, 'createObject');
      const host = Object.fromEntries(
        pairs.flatMap((arg, index) =>
          index % 2 === 0 ? [[arg.replace(/^'|'$/g, ''), pairs[index + 1]]] : [],
        ),
      );
      expect(host).toEqual({
        AzureWebJobsStorage__credential: "'managedidentity'",
        AzureWebJobsStorage__clientId: "parameters('identityClientId')",
        AzureWebJobsStorage__blobServiceUri: expect.stringMatching(/\.primaryEndpoints\.blob$/),
        APPLICATIONINSIGHTS_CONNECTION_STRING: expect.stringMatching(/\.ConnectionString$/),
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING:
          "format('ClientId={0};Authorization=AAD', parameters('identityClientId'))",
        AZURE_CLIENT_ID: "parameters('identityClientId')",
      });
      // No name in both: union() would let the host block win silently.
      expect(Object.keys(appSettings()).filter((name) => name in host)).toEqual([]);
    });
  });

  it('turns local (key) authentication off on Log Analytics and Application Insights', () => {
    const workspace = only('Microsoft.OperationalInsights/workspaces');
    expect(workspace.properties!.features).toEqual({ disableLocalAuth: true });
    const insights = only('Microsoft.Insights/components');
    expect(insights.properties!.DisableLocalAuth).toBe(true);
  });

  it('turns shared keys and public blob access off on the storage account', () => {
    expect(only('Microsoft.Storage/storageAccounts').properties).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
  });

  it('assigns exactly three roles, each scoped to one resource', () => {
    const roles = module('rbac').template.variables as Record<string, string>;
    const assignments = allResources()
      .filter((resource) => resource.type === 'Microsoft.Authorization/roleAssignments')
      .map((resource) => {
        const properties = resource.properties as { roleDefinitionId: string; principalId: string };
        const variable = /variables\('(\w+)'\)/.exec(properties.roleDefinitionId)![1]!;
        return {
          role: roles[variable],
          scope: resource.scope,
          principal: properties.principalId,
          optional: resource.condition !== undefined,
        };
      });
    expect(assignments).toEqual([
      {
        role: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', // Storage Blob Data Owner
        scope:
          "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]",
        principal: "[parameters('appPrincipalId')]",
        optional: false,
      },
      {
        role: '3913510d-42f4-4e42-8a64-420c390055eb', // Monitoring Metrics Publisher
        scope:
          "[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]",
        principal: "[parameters('appPrincipalId')]",
        optional: false,
      },
      {
        role: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', // Storage Blob Data Reader
        scope:
          "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]",
        principal: "[parameters('archiveReaderPrincipalId')]",
        optional: true,
      },
    ]);
  });

  describe('the availability test on /status and its alert', () => {
    const availability = () => module('availability').template;

    it('authenticate with a function key of their own, generated at provision time', () => {
      expect(availability().parameters!.statusKey).toMatchObject({
        type: 'securestring',
        defaultValue: '[newGuid()]',
      });
      const key = only('Microsoft.Web/sites/host/functionKeys');
      expect(key.name).toBe(
        "[format('{0}/default/availability-test', parameters('functionAppName'))]",
      );
      expect(key.properties).toEqual({
        name: 'availability-test',
        value: "[parameters('statusKey')]",
      });
      // main.bicep never passes a key in: the module generates it.
      expect(module('availability').parameters).not.toHaveProperty('statusKey');
    });

    it('call GET .../status from five locations and expect 200', () => {
      const test = only('Microsoft.Insights/webtests');
      expect(test.kind).toBe('standard');
      expect(test.properties).toMatchObject({
        Kind: 'standard',
        Enabled: true,
        Frequency: 300,
        RetryEnabled: true,
        Request: {
          HttpVerb: 'GET',
          RequestUrl:
            "[format('https://{0}{1}', parameters('functionAppHostName'), variables('statusPath'))]",
          Headers: [{ key: 'x-functions-key', value: "[parameters('statusKey')]" }],
        },
        ValidationRules: { ExpectedHttpStatusCode: 200, SSLCheck: true },
      });
      expect(availability().variables!.statusPath).toBe(
        '/api/reports/skype-p2p-minute-counts/status',
      );
      expect(test.properties!.Locations).toHaveLength(5);
      // Application Insights lists a test under Availability by this tag.
      expect(JSON.stringify(test.tags)).toContain('hidden-link:');
      expect(module('availability').parameters.functionAppHostName!.value).toContain(
        'outputs.defaultHostName.value',
      );
    });

    it("alert on the test's availability after a 30-minute grace", () => {
      const alert = only('Microsoft.Insights/metricAlerts');
      const properties = alert.properties as {
        windowSize: string;
        evaluationFrequency: string;
        criteria: { allOf: Record<string, unknown>[] };
        enabled: boolean;
      };
      expect(properties.enabled).toBe(true);
      expect(properties.windowSize).toBe('PT30M');
      expect(properties.evaluationFrequency).toBe('PT5M');
      expect(properties.criteria.allOf).toEqual([
        expect.objectContaining({
          metricNamespace: 'microsoft.insights/components',
          metricName: 'availabilityResults/availabilityPercentage',
          operator: 'LessThan',
          timeAggregation: 'Average',
          dimensions: [
            {
              name: 'availabilityResult/name',
              operator: 'Include',
              values: ["[variables('testName')]"],
            },
          ],
        }),
      ]);
    });

    it('mail someone only when ALERT_EMAIL is set', () => {
      const group = only('Microsoft.Insights/actionGroups');
      expect(group.condition).toBe("[not(empty(parameters('alertEmail')))]");
      expect(main.parameters!.alertEmail!.defaultValue).toBe('');
      expect(module('availability').parameters.alertEmail!.value).toBe(
        "[parameters('alertEmail')]",
      );
    });
  });

  it('outputs what the hooks and the README use, and no secret', () => {
    const outputs = main.outputs!;
    for (const name of [
      'AZURE_TENANT_ID',
      'AZURE_RESOURCE_GROUP',
      'AZURE_FUNCTION_APP_NAME',
      'AZURE_FUNCTION_URL',
      'AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID',
      'AZURE_STORAGE_ACCOUNT_NAME',
      'AZURE_STATUS_WEB_TEST_NAME',
      'AZURE_STATUS_ALERT_NAME',
    ]) {
      expect(outputs[name]?.type).toBe('string');
    }
    const everyOutput =
      JSON.stringify(main.outputs) + JSON.stringify(module('availability').template.outputs);
    expect(everyOutput).not.toMatch(/statusKey|listKeys|secureString/i);
  });
});
