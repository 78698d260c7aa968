import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { projectRoot, readProjectFile } from './bicep';

/**
 * The postprovision hook, run for real by bash (and sh, as azd may start it) against a stand-in
 * Azure CLI (fake-az.sh) on a PATH holding nothing else, so no real `az` is ever reached.
 */

const script = join(projectRoot, 'infra', 'scripts', 'grant-graph-permission.sh');
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const GRAPH_SP = '99999999-8888-7777-6666-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const REPORTS_READ_ALL = '230c1aed-a721-4c5d-9cb4-a90514e508ef';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'grant-graph-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (existsSync(join(dir, command))) return join(dir, command);
  }
  throw new Error(`${command} is not on PATH`);
}

let runs = 0;

/** Runs the script with only the tools it needs (and, unless withoutAz, the fake az). */
function grant(
  env: Record<string, string>,
  options: { args?: string[]; shell?: 'bash' | 'sh'; withoutAz?: boolean } = {},
) {
  runs += 1;
  const bin = join(scratch, `bin-${runs}`);
  mkdirSync(bin);
  for (const tool of ['bash', 'cat', 'grep', 'head', 'mktemp', 'rm']) {
    symlinkSync(which(tool), join(bin, tool));
  }
  // The retry waits are real `sleep 10`s; here they pass at once.
  symlinkSync(which('true'), join(bin, 'sleep'));
  if (!options.withoutAz) symlinkSync(join(__dirname, 'fake-az.sh'), join(bin, 'az'));
  const log = join(scratch, `az-${runs}.log`);
  const shell = options.shell === 'sh' ? which('sh') : which('bash');
  const result = spawnSync(shell, [script, ...(options.args ?? [])], {
    env: { PATH: bin, FAKE_AZ_LOG: log, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t'))
    : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const signedIn = {
  AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID: PRINCIPAL,
  AZURE_FUNCTION_APP_NAME: 'func-api-test',
  AZURE_TENANT_ID: TENANT,
  FAKE_AZ_TENANT: TENANT,
  FAKE_AZ_GRAPH_SP: GRAPH_SP,
};

const posts = (calls: string[][]) => calls.filter((call) => call.includes('POST'));

/** The JSON body of the `az rest` command the script prints for an administrator. */
function printedBody(stdout: string): unknown {
  const match = /--body "(.*)"\s*$/m.exec(stdout);
  if (!match) throw new Error(`no printed command in:\n${stdout}`);
  return JSON.parse(match[1]!.replace(/\\"/g, '"'));
}

describe('grant-graph-permission.sh (the postprovision hook)', () => {
  it('is executable, and the hook azure.yaml runs', () => {
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(readProjectFile('azure.yaml')).toContain('./infra/scripts/grant-graph-permission.sh');
  });

  it.each(['bash', 'sh'] as const)(
    'grants Reports.Read.All once when the identity lacks it (started by %s)',
    (shell) => {
      const run = grant(signedIn, { shell });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `granted Microsoft Graph Reports.Read.All to func-api-test's identity (${PRINCIPAL})`,
      );
      const [post, ...more] = posts(run.calls);
      expect(more).toEqual([]);
      expect(post).toContain(
        `https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`,
      );
      expect(JSON.parse(post![post!.indexOf('--body') + 1]!)).toEqual({
        principalId: PRINCIPAL,
        resourceId: GRAPH_SP,
        appRoleId: REPORTS_READ_ALL,
      });
    },
  );

  it('changes nothing when the identity already holds it', () => {
    const run = grant({ ...signedIn, FAKE_AZ_GRANTED_BY: `other-resource\n${GRAPH_SP}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already has Microsoft Graph Reports.Read.All. Nothing to do.');
    expect(posts(run.calls)).toEqual([]);
  });

  it('does not take the same role id granted by another resource for it', () => {
    const run = grant({ ...signedIn, FAKE_AZ_GRANTED_BY: 'some-other-api' });
    expect(posts(run.calls)).toHaveLength(1);
  });

  it('waits for a brand-new identity to reach the directory, then grants', () => {
    const run = grant({ ...signedIn, FAKE_AZ_NOT_FOUND: '2' });
    expect(run.code).toBe(0);
    expect(run.stdout.match(/not in the directory yet/g)).toHaveLength(2);
    expect(posts(run.calls)).toHaveLength(1);
  });

  it('takes the principal id from its first argument too', () => {
    const run = grant(
      { ...signedIn, AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID: '' },
      { args: [PRINCIPAL] },
    );
    expect(run.code).toBe(0);
    expect(posts(run.calls)[0]).toContain(
      `https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`,
    );
  });

  it('treats an assignment made meanwhile as done', () => {
    const run = grant({ ...signedIn, FAKE_AZ_POST: 'exists' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('granted meanwhile');
    expect(run.stdout).not.toContain('ACTION NEEDED');
  });

  describe('when it cannot grant, it says why, prints what an administrator runs, and exits 0', () => {
    it.each([
      [
        'the deployer lacks the directory role',
        { ...signedIn, FAKE_AZ_POST: 'denied' },
        'you are not allowed to grant Graph app roles',
      ],
      ['Graph fails', { ...signedIn, FAKE_AZ_POST: 'broken' }, 'granting the permission failed'],
    ])('%s', (_, env, reason) => {
      const run = grant(env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(reason);
      expect(run.stdout).toContain('ACTION NEEDED');
      expect(run.stdout).toContain(`'az login --tenant ${TENANT}'`);
      expect(run.stdout).toContain(`./infra/scripts/grant-graph-permission.sh ${PRINCIPAL}`);
      // The printed command is complete: every id filled in, a body Graph accepts.
      expect(printedBody(run.stdout)).toEqual({
        principalId: PRINCIPAL,
        resourceId: GRAPH_SP,
        appRoleId: REPORTS_READ_ALL,
      });
    });

    it.each([
      [
        'the Azure CLI is missing',
        signedIn,
        { withoutAz: true },
        'Azure CLI (az) is not installed',
      ],
      [
        'the Azure CLI is signed out',
        { ...signedIn, FAKE_AZ_TENANT: '' },
        {},
        "not signed in ('az login')",
      ],
    ])('%s', (_, env, options, reason) => {
      const run = grant(env, options);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(reason);
      expect(run.stdout).toContain('ACTION NEEDED');
      // Graph's service principal id is unknown yet: the command looks it up itself.
      expect(run.stdout).toContain(
        '\\"resourceId\\":\\"$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv)\\"',
      );
      expect(posts(run.calls)).toEqual([]);
    });
  });

  it('refuses to act in another tenant than the app', () => {
    const run = grant({ ...signedIn, FAKE_AZ_TENANT: 'ffffffff-0000-0000-0000-000000000000' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`the app is in ${TENANT} ('az login --tenant ${TENANT}')`);
    expect(run.calls.map((call) => call.slice(0, 2))).toEqual([['account', 'show']]);
  });

  it.each([
    ['no principal id at all', {}, 'no principal id'],
    [
      'a principal id that is not a GUID',
      { AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID: `${PRINCIPAL}/../me; echo` },
      'is not an object id',
    ],
  ])('does nothing, without calling az, for %s', (_, env, message) => {
    const run = grant(env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(message);
    expect(run.calls).toEqual([]);
  });
});

describe('grant-graph-permission.ps1 (its Windows twin; pwsh cannot run here)', () => {
  const ps1 = readProjectFile('infra/scripts/grant-graph-permission.ps1');

  it.each([
    ['the Microsoft Graph app id', '00000003-0000-0000-c000-000000000000'],
    ['the Reports.Read.All app role id', REPORTS_READ_ALL],
    ['the same endpoint', '/servicePrincipals/$PrincipalId/appRoleAssignments'],
    ['the same principal id output', '$env:AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID'],
    ['the wait for a new identity', 'Request_ResourceNotFound'],
    ['the race with another grant', 'already exists'],
    ['the missing-right case', 'Authorization_RequestDenied'],
    ['the instructions for an administrator', 'ACTION NEEDED'],
  ])('handles %s like the bash script', (_, text) => {
    expect(ps1).toContain(text);
  });

  it('never fails the deployment: every way out is exit 0', () => {
    expect([...ps1.matchAll(/\bexit\s+(\d+)/g)].map((match) => match[1])).toEqual(
      expect.arrayContaining(['0']),
    );
    expect(ps1).not.toMatch(/\bexit\s+[1-9]/);
    expect(ps1).not.toMatch(/\bthrow\b/);
  });
});
