import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readSnapshotConfig } from '../../shared/config';
import { SETTINGS } from '../../shared/config/registry';
import {
  bicepFiles,
  entries,
  evaluate,
  objectAfter,
  paramDefaults,
  projectRoot,
  readProjectFile,
  resourcesOfType,
  stringLiteral,
} from './bicep';

/**
 * The deployment templates, checked as text against the code they deploy: the Bicep CLI and azd
 * cannot run here, so what a real `azd up` would reveal late is caught here instead wherever it
 * can be read from the files (see the README, "Deploy to Azure", for what is not).
 */

const main = readProjectFile('infra/main.bicep');
const api = readProjectFile('infra/app/api.bicep');
const storage = readProjectFile('infra/app/storage.bicep');
const monitoring = readProjectFile('infra/app/monitoring.bicep');
const rbac = readProjectFile('infra/app/rbac.bicep');
const parameters = JSON.parse(readProjectFile('infra/main.parameters.json')) as {
  parameters: Record<string, { value: string }>;
};

/** The app's own settings (main.bicep) and those api.bicep adds for the host and the identity. */
const appOwned = entries(objectAfter(main, 'var appSettings ='));
const hostOwned = entries(objectAfter(api, 'union(appSettings,'));
const allSettings = [...appOwned.keys(), ...hostOwned.keys()];

const registered = new Set(SETTINGS.map((setting) => setting.name));
const deployed = SETTINGS.filter((setting) => setting.deploy).map((setting) => setting.name);

/** Settings the Functions host, the platform or Application Insights read, not the app. */
const HOST_SETTINGS = [
  /^AzureWebJobsStorage__\w+$/,
  /^APPLICATIONINSIGHTS_\w+$/,
  /^AZURE_CLIENT_ID$/,
];

describe('the function app settings in infra/', () => {
  it('are all in one place: main.bicep passes its settings to the one appsettings resource', () => {
    expect(api).toMatch(/resource settings 'config' = \{\s*name: 'appsettings'/);
    expect(
      entries(objectAfter(main, /params: \{\s*name: functionAppName/)).get('appSettings'),
    ).toBe('appSettings');
    // Nothing else writes app settings (a second writer would replace these).
    const writers = bicepFiles().filter((file) =>
      /siteConfig: \{[^}]*appSettings|name: 'appsettings'/.test(readProjectFile(file)),
    );
    expect(writers).toEqual(['infra/app/api.bicep']);
  });

  it.each(deployed)('set %s, which the registry marks `deploy: true`', (name) => {
    expect(appOwned.has(name)).toBe(true);
  });

  it('set nothing the registry does not declare, besides what the host reads', () => {
    expect([...appOwned.keys()].filter((name) => !registered.has(name))).toEqual([]);
    expect(
      [...hostOwned.keys()].filter((name) => !HOST_SETTINGS.some((rule) => rule.test(name))),
    ).toEqual([]);
  });

  it('set each setting once (union() would silently let the host block win)', () => {
    expect([...appOwned.keys()].filter((name) => hostOwned.has(name))).toEqual([]);
  });

  it.each([
    'FUNCTIONS_WORKER_RUNTIME',
    'FUNCTIONS_EXTENSION_VERSION',
    'WEBSITE_NODE_DEFAULT_VERSION',
    'WEBSITE_RUN_FROM_PACKAGE',
    'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
    'WEBSITE_CONTENTSHARE',
    'SCM_DO_BUILD_DURING_DEPLOYMENT',
    'ENABLE_ORYX_BUILD',
    'AzureWebJobsStorage',
    'APPINSIGHTS_INSTRUMENTATIONKEY',
  ])('leave out %s (rejected on Flex Consumption, or a key-based connection)', (name) => {
    expect(allSettings).not.toContain(name);
  });

  describe.each([...appOwned])('%s', (name, expression) => {
    const definition = SETTINGS.find((setting) => setting.name === name)!;
    const bicepDefault = stringLiteral(paramDefaults(main).get(expression) ?? '');

    it('comes from a main.bicep parameter whose default is the documented one', () => {
      expect(paramDefaults(main).has(expression)).toBe(true);
      if (definition.default !== undefined) {
        expect(bicepDefault).toBe(definition.default);
      } else {
        // A required setting without a default gets a working example value.
        expect(definition.required).toBe(true);
        expect(bicepDefault?.split(' ')).toHaveLength(6);
      }
    });

    it('can be changed with `azd env set` under its own name, the same default applying', () => {
      expect(parameters.parameters[expression]?.value).toBe(`\${${name}=${bicepDefault}}`);
    });
  });

  it('configure the app as intended: Graph and the archive through the user-assigned identity', () => {
    const clientId = '0c1d2e3f-0000-4000-8000-000000000001';
    const blob = 'https://stexample.blob.core.windows.net/';
    const values: Record<string, string> = {
      identityClientId: clientId,
      'storage.properties.primaryEndpoints.blob': blob,
      'applicationInsights.properties.ConnectionString': 'InstrumentationKey=x;IngestionEndpoint=y',
    };
    for (const [name, value] of paramDefaults(main))
      values[name] = stringLiteral(value ?? '') ?? '';
    const settings: Record<string, string> = {
      // The Functions host announces its identity endpoint to the worker.
      IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token',
      IDENTITY_HEADER: 'header',
    };
    for (const [name, expression] of [...appOwned, ...hostOwned]) {
      settings[name] = evaluate(expression, values);
    }

    const config = readSnapshotConfig(settings);

    const identity = { kind: 'managed-identity', clientId };
    expect(config.graph.auth).toEqual({ kind: 'azure', credential: identity });
    expect(config.storage.connection).toEqual({
      kind: 'identity',
      setting: 'AzureWebJobsStorage__blobServiceUri',
      blobServiceUri: blob,
      credential: identity,
    });
    expect(config.storage.container).toBe('graph-reports');
    expect(settings).toMatchObject({
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: clientId,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${clientId};Authorization=AAD`,
      AZURE_CLIENT_ID: clientId,
    });
  });

  it('hold no secret: no key, connection string or SAS anywhere in infra/', () => {
    const secretive = /listKeys|listAccountSas|AccountKey|SharedAccessSignature/;
    expect(bicepFiles().filter((file) => secretive.test(readProjectFile(file)))).toEqual([]);
  });

  it('take no secret as input: the one secure parameter is generated (newGuid())', () => {
    const secure = bicepFiles().flatMap((file) =>
      [...readProjectFile(file).matchAll(/@secure\(\)\n(?:@.*\n)*param (\w+) string(.*)/g)].map(
        (match) => `${file}: ${match[1]}${match[2]}`,
      ),
    );
    expect(secure).toEqual(['infra/app/availability.bicep: statusKey = newGuid()']);
    expect(main).not.toContain('statusKey');
  });
});

describe('the hosting', () => {
  it('is a Flex Consumption (FC1) plan on Linux', () => {
    const [plan] = resourcesOfType(api, 'Microsoft.Web/serverfarms');
    expect(entries(objectAfter(api.slice(plan!.at), 'sku:'))).toEqual(
      new Map([
        ['tier', "'FlexConsumption'"],
        ['name', "'FC1'"],
      ]),
    );
    expect(entries(objectAfter(api.slice(plan!.at), 'properties:')).get('reserved')).toBe('true');
  });

  it('runs Node.js 22, from a blob container it reads as the user-assigned identity', () => {
    const [site] = resourcesOfType(api, 'Microsoft.Web/sites');
    expect(site!.body.get('kind')).toBe("'functionapp,linux'");
    expect(entries(objectAfter(api, 'runtime:'))).toEqual(
      new Map([
        ['name', "'node'"],
        ['version', "'22'"],
      ]),
    );
    expect(entries(objectAfter(api, 'identity:')).get('type')).toBe("'UserAssigned'");
    expect(entries(objectAfter(api, 'authentication:'))).toEqual(
      new Map([
        ['type', "'UserAssignedIdentity'"],
        ['userAssignedIdentityResourceId', 'identityId'],
      ]),
    );
    expect(entries(objectAfter(api.slice(site!.at), 'properties:')).get('httpsOnly')).toBe('true');
  });

  it('is tagged for azd as the `api` service of azure.yaml', () => {
    expect(api).toContain("tags: union(tags, { 'azd-service-name': 'api' })");
  });
});

describe('the storage account', () => {
  const properties = entries(objectAfter(storage, 'properties:'));

  it.each([
    ['allowSharedKeyAccess', 'false'],
    ['defaultToOAuthAuthentication', 'true'],
    ['allowBlobPublicAccess', 'false'],
    ['minimumTlsVersion', "'TLS1_2'"],
    ['supportsHttpsTrafficOnly', 'true'],
  ])('sets %s: %s', (name, value) => {
    expect(properties.get(name)).toBe(value);
  });

  it('holds the deployment package and the archive container', () => {
    expect(storage).toMatch(
      /resource deploymentContainer 'containers' = \{\s*name: deploymentContainerName/,
    );
    expect(storage).toMatch(
      /resource snapshotContainer 'containers' = \{\s*name: snapshotContainerName/,
    );
    expect(main).toMatch(/snapshotContainerName: snapshotContainer\b/);
  });
});

describe('monitoring', () => {
  it('accepts telemetry only from Entra identities (local auth off)', () => {
    const [insights] = resourcesOfType(monitoring, 'Microsoft.Insights/components');
    const properties = entries(objectAfter(monitoring.slice(insights!.at), 'properties:'));
    expect(properties.get('DisableLocalAuth')).toBe('true');
    expect(properties.get('WorkspaceResourceId')).toBe('workspace.id');
  });

  it('accepts logs and queries on the workspace only from Entra identities (local auth off)', () => {
    const [workspace] = resourcesOfType(monitoring, 'Microsoft.OperationalInsights/workspaces');
    expect(entries(objectAfter(monitoring.slice(workspace!.at), 'features:'))).toEqual(
      new Map([['disableLocalAuth', 'true']]),
    );
  });
});

describe('role assignments', () => {
  const ROLES: Record<string, string> = {
    'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
    '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1': 'Storage Blob Data Reader',
    '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  };
  const roleVariables = new Map(
    [...rbac.matchAll(/^var (\w+) = '([0-9a-f-]{36})'/gm)].map((match) => [match[1]!, match[2]!]),
  );

  function assignments(source: string) {
    return resourcesOfType(source, 'Microsoft.Authorization/roleAssignments').map((resource) => {
      const properties = entries(objectAfter(source.slice(resource.at), 'properties:'));
      const role =
        /subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (\w+)\)/.exec(
          source.slice(resource.at),
        )![1]!;
      return {
        role: ROLES[roleVariables.get(role)!] ?? `unknown role ${role}`,
        scope: resource.body.get('scope'),
        principal: properties.get('principalId'),
        optional: resource.condition !== '',
      };
    });
  }

  it('are exactly these, each scoped to one resource', () => {
    expect(assignments(rbac)).toEqual([
      {
        role: 'Storage Blob Data Owner',
        scope: 'storage',
        principal: 'appPrincipalId',
        optional: false,
      },
      {
        role: 'Monitoring Metrics Publisher',
        scope: 'applicationInsights',
        principal: 'appPrincipalId',
        optional: false,
      },
      {
        role: 'Storage Blob Data Reader',
        scope: 'storage',
        principal: 'archiveReaderPrincipalId',
        optional: true,
      },
    ]);
  });

  it('exist nowhere else in infra/', () => {
    const elsewhere = bicepFiles().filter(
      (file) =>
        file !== 'infra/app/rbac.bicep' && readProjectFile(file).includes('roleAssignments'),
    );
    expect(elsewhere).toEqual([]);
  });

  it('name the role ids they use correctly', () => {
    expect(Object.fromEntries(roleVariables)).toEqual({
      storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
      monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
    });
  });

  it('go to the identity the app runs as, and to the deployer only for reading', () => {
    expect(main).toMatch(/appPrincipalId: identity\.outputs\.principalId/);
    expect(parameters.parameters.archiveReaderPrincipalId?.value).toBe('${AZURE_PRINCIPAL_ID}');
  });
});

describe('azure.yaml, package.json and .funcignore agree', () => {
  type Hook = Record<string, { run: string; shell: string; interactive?: boolean }>;
  const azure = parseYaml(readProjectFile('azure.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    hooks: Record<string, Hook>;
  };
  const pkg = JSON.parse(readProjectFile('package.json')) as {
    main: string;
    scripts: Record<string, string>;
  };
  const buildConfig = JSON.parse(readProjectFile('tsconfig.build.json')) as {
    extends: string;
    include: string[];
  };
  const baseConfig = JSON.parse(readProjectFile('tsconfig.json')) as {
    compilerOptions: { outDir: string };
  };

  it('deploys one TypeScript function app, built here and staged in .deploy/ by its prepackage hook', () => {
    const stage = 'node ./infra/scripts/stage-package.mjs';
    expect(azure.services).toEqual({
      api: {
        project: '.',
        language: 'ts',
        host: 'function',
        remoteBuild: false,
        dist: '.deploy',
        hooks: {
          prepackage: {
            posix: { shell: 'sh', run: stage },
            windows: { shell: 'pwsh', run: stage },
          },
        },
      },
    });
    expect(readProjectFile('.gitignore').split('\n')).toEqual(
      expect.arrayContaining(['.deploy/', '.tools/']),
    );
  });

  it('builds with `npm run build` into dist/, where package.json `main` finds every function', () => {
    // Clear dist/functions/ (no stale entry file is registered), compile the app, then the
    // dashboard's page script for the browser, then convert the OpenAPI contract.
    expect(pkg.scripts.build).toBe(
      'node build/cleanFunctions.mjs && tsc -p tsconfig.build.json && tsc -p tsconfig.browser.json && node dist/build/openapi.js',
    );
    expect(buildConfig.include).toContain('build');
    expect(buildConfig.extends).toBe('./tsconfig.json');
    expect(baseConfig.compilerOptions.outDir).toBe('dist');
    expect(buildConfig.include).toContain('functions');
    expect(pkg.main).toBe('dist/functions/*.js');
    // globalSetup has just run that build.
    const sources = readdirSync(join(projectRoot, 'functions')).filter((file) =>
      file.endsWith('.ts'),
    );
    for (const source of sources) {
      expect(
        existsSync(join(projectRoot, 'dist', 'functions', source.replace(/\.ts$/, '.js'))),
      ).toBe(true);
    }
  });

  it.each([
    ['postprovision', 'posix', 'sh', './infra/scripts/grant-graph-permission.sh'],
    ['postprovision', 'windows', 'pwsh', './infra/scripts/grant-graph-permission.ps1'],
    ['postdeploy', 'posix', 'sh', 'node ./infra/scripts/first-snapshot.mjs'],
    ['postdeploy', 'windows', 'pwsh', 'node ./infra/scripts/first-snapshot.mjs'],
  ])(
    'runs the %s hook on %s, interactive so that its last line stays on screen',
    (hook, os, shell, run) => {
      // Not interactive, azd shows a hook's output in a preview it erases when the hook ends.
      expect(azure.hooks[hook]![os]).toEqual({
        shell,
        run,
        interactive: true,
        continueOnError: true,
      });
      expect(existsSync(join(projectRoot, run.replace(/^node /, '')))).toBe(true);
    },
  );

  it('has no other hooks', () => {
    expect(Object.keys(azure.hooks)).toEqual(['postprovision', 'postdeploy']);
  });

  describe('.funcignore, for a zip deployment with a remote build (Core Tools)', () => {
    const patterns = readProjectFile('.funcignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));

    /** A subset of .gitignore syntax: enough for this file, and it refuses the rest. */
    function ignored(path: string): boolean {
      return patterns.some((pattern) => {
        if (/^!|\*\*|\[/.test(pattern)) throw new Error(`unsupported pattern ${pattern}`);
        const glob = pattern.replace(/\/$/, '');
        const segment = new RegExp(
          `^${glob
            .replace(/[.+^${}()|\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]')}$`,
        );
        if (!glob.includes('/')) return path.split('/').some((part) => segment.test(part));
        const parts = path.split('/');
        return parts.some((_, end) => segment.test(parts.slice(0, end + 1).join('/')));
      });
    }

    it.each([
      'package.json',
      'package-lock.json',
      'host.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'functions/app.ts',
      'build/cleanFunctions.mjs',
      'tsconfig.browser.json',
      'shared/http/dashboardScript.ts',
      'shared/config/index.ts',
      'shared/graph/client.ts',
      'build/openapi.ts',
      'openapi.yaml',
    ])('uploads %s (the remote build needs it)', (path) => {
      expect(ignored(path)).toBe(false);
    });

    it.each([
      'node_modules/@azure/functions/package.json',
      'local.settings.json',
      '.azure/dev/.env',
      'infra/main.bicep',
      'test/infra/infra.test.ts',
      'tools/demo.ts',
      'dist/tools/demo.js',
      'dist/functions/app.js.map',
      // The remote build compiles afresh: a stale function from an older build never goes up.
      'dist/functions/skypeP2pSnapshot.js',
      'dist/functions/removedLongAgo.js',
      'dist/functions/app.js',
      '.deploy/node_modules/@azure/functions/package.json',
      '.tools/bicep-0.49.2/bicep',
    ])('leaves out %s', (path) => {
      expect(ignored(path)).toBe(true);
    });
  });
});

describe('the README', () => {
  const readme = readProjectFile('README.md');
  const section = (title: string) => {
    const start = readme.indexOf(`\n## ${title}\n`);
    if (start < 0) throw new Error(`no section ${title}`);
    const end = readme.indexOf('\n## ', start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
  };

  it.each(deployed)('documents %s in the configuration table and the deployment', (name) => {
    const definition = SETTINGS.find((setting) => setting.name === name)!;
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
    expect(row).toBeDefined();
    if (definition.default !== undefined) expect(row).toContain(`\`${definition.default}\``);
    expect(section('Deploy to Azure')).toContain(`\`${name}\``);
  });
});
