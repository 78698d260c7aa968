import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { projectRoot } from './bicep';

/**
 * The postprovision hook (infra/scripts/grant-graph-permission.sh and its PowerShell twin, .ps1),
 * run for real against a stand-in Azure CLI (fake-az.sh) on a PATH holding nothing else, so no
 * real `az` is ever reached. One table of cases, the same expected outcomes for both scripts:
 * test/infra/grantGraphPermission.test.ts runs it with bash and sh (in `npm test`), and
 * test/infra/cli/grantGraphPermission.pwsh.cli.ts with PowerShell 7 (in `npm run test:infra`).
 */

export const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
export const GRAPH_SP = '99999999-8888-7777-6666-555555555555';
export const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const REPORTS_READ_ALL = '230c1aed-a721-4c5d-9cb4-a90514e508ef';

export type Interpreter = 'bash' | 'sh' | 'pwsh';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Each call the stand-in az received, as its argument list. */
  calls: string[][];
}

export function which(command: string, path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  throw new Error(`${command} is not on PATH`);
}

/** PowerShell 7: PWSH, else `pwsh` on the PATH (tools/infraTools/fetch.sh pwsh fetches it). */
export function findPwsh(): string {
  if (process.env.PWSH) return process.env.PWSH;
  try {
    return which('pwsh');
  } catch {
    throw new Error(
      'No PowerShell 7: set PWSH to its path or put pwsh on the PATH ' +
        '(tools/infraTools/fetch.sh pwsh fetches 7.6.10 as a .NET tool).',
    );
  }
}

/** The .NET host: DOTNET_ROOT/dotnet, else `dotnet` on the PATH. */
function dotnetHost(): string {
  const root = process.env.DOTNET_ROOT;
  if (root && existsSync(join(root, 'dotnet'))) return join(root, 'dotnet');
  return which('dotnet');
}

export function scriptFor(interpreter: Interpreter): string {
  const ext = interpreter === 'pwsh' ? 'ps1' : 'sh';
  return join(projectRoot, 'infra', 'scripts', `grant-graph-permission.${ext}`);
}

/** The command the script prints for an administrator to run it by hand. */
export function byHand(interpreter: Interpreter): string {
  return interpreter === 'pwsh'
    ? `./infra/scripts/grant-graph-permission.ps1 -PrincipalId ${PRINCIPAL}`
    : `./infra/scripts/grant-graph-permission.sh ${PRINCIPAL}`;
}

/** A scratch folder for one suite's runs; remove it with the returned function. */
export function makeScratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'grant-graph-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let runs = 0;

/**
 * Runs the script with only the tools it needs (and, unless withoutAz, the stand-in az). The
 * retry waits (`sleep 10`, `Start-Sleep -Seconds 10`) are real in the scripts; here they pass at
 * once.
 */
export function runGrant(
  scratch: string,
  interpreter: Interpreter,
  env: Record<string, string>,
  options: { args?: string[]; withoutAz?: boolean } = {},
): Run {
  runs += 1;
  const bin = join(scratch, `bin-${runs}`);
  mkdirSync(bin);
  // bash also runs the stand-in az (its shebang is `/usr/bin/env bash`).
  for (const tool of ['bash', 'cat', 'grep', 'head', 'mktemp', 'rm']) {
    symlinkSync(which(tool), join(bin, tool));
  }
  symlinkSync(which('true'), join(bin, 'sleep'));
  if (!options.withoutAz) symlinkSync(join(__dirname, 'fake-az.sh'), join(bin, 'az'));
  const log = join(scratch, `az-${runs}.log`);
  const script = scriptFor(interpreter);
  const args = options.args ?? [];

  let command: string;
  let commandArgs: string[];
  const extraEnv: Record<string, string> = {};
  if (interpreter === 'pwsh') {
    command = findPwsh();
    // A function outranks the cmdlet of the same name, in the script's scope too.
    // Parameter names (-PrincipalId) stay bare; a quoted one would be a plain string.
    const quoted = [script, ...args].map((arg) =>
      /^-\w+$/.test(arg) ? arg : `'${arg.replace(/'/g, "''")}'`,
    );
    commandArgs = [
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `function global:Start-Sleep { param($Seconds) }; & ${quoted.join(' ')}; exit $LASTEXITCODE`,
    ];
    // The .NET tool's launcher starts `dotnet pwsh.dll` through the PATH.
    symlinkSync(dotnetHost(), join(bin, 'dotnet'));
    const home = join(scratch, `home-${runs}`);
    mkdirSync(home);
    Object.assign(extraEnv, {
      HOME: home,
      DOTNET_ROOT: process.env.DOTNET_ROOT ?? '',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      POWERSHELL_TELEMETRY_OPTOUT: '1',
      POWERSHELL_UPDATECHECK: 'Off',
    });
  } else {
    command = interpreter === 'sh' ? which('sh') : which('bash');
    commandArgs = [script, ...args];
  }

  const result = spawnSync(command, commandArgs, {
    env: { PATH: bin, FAKE_AZ_LOG: log, ...extraEnv, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t'))
    : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

export const signedIn = {
  AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID: PRINCIPAL,
  AZURE_FUNCTION_APP_NAME: 'func-api-test',
  AZURE_TENANT_ID: TENANT,
  FAKE_AZ_TENANT: TENANT,
  FAKE_AZ_GRAPH_SP: GRAPH_SP,
};

export const posts = (calls: string[][]) => calls.filter((call) => call.includes('POST'));

/** The JSON body of the first `az rest ... --body "..."` command the script printed. */
export function printedBody(stdout: string): unknown {
  const match = /--body "(.*)"\s*$/m.exec(stdout);
  if (!match) throw new Error(`no printed command in:\n${stdout}`);
  return JSON.parse(match[1]!.replace(/\\"/g, '"'));
}

/** The last non-empty line of the output: what azd leaves on screen. */
export function lastLine(stdout: string): string {
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

/** The body of the one-line command on the last line, with `\"` unescaped. */
export function lastLineBody(stdout: string): unknown {
  const line = lastLine(stdout);
  const match = /--body "(.*)"$/.exec(line);
  if (!match) throw new Error(`no command on the last line: ${line}`);
  return JSON.parse(match[1]!.replace(/\\"/g, '"'));
}

/**
 * Every case, as one describe body for a given interpreter: the expected outcomes are the
 * same for bash, sh and PowerShell.
 */
export function describeGrantCases(interpreter: Interpreter): void {
  let scratch: { dir: string; remove: () => void };
  beforeAll(() => {
    scratch = makeScratch();
  });
  afterAll(() => scratch.remove());

  const grant = (env: Record<string, string>, options?: { args?: string[]; withoutAz?: boolean }) =>
    runGrant(scratch.dir, interpreter, env, options);

  /** Every argument az got: none may hold a parenthesis (Windows' az.cmd breaks on them). */
  const expectNoParentheses = (run: Run) => {
    expect(run.calls.flat().filter((arg) => /[()]/.test(arg))).toEqual([]);
  };

  it('grants Reports.Read.All once when the identity lacks it, and says so on its last line', () => {
    const run = grant(signedIn);
    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toBe(
      `grant-graph-permission: granted Microsoft Graph Reports.Read.All to func-api-test's identity (${PRINCIPAL}).`,
    );
    const [post, ...more] = posts(run.calls);
    expect(more).toEqual([]);
    expect(post).toContain(
      `https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`,
    );
    // The body is inline for bash, a file (`@path`, removed afterwards) for PowerShell.
    const body = post![post!.indexOf('--body') + 1]!;
    expect(body.startsWith('@')).toBe(interpreter === 'pwsh');
    if (!body.startsWith('@')) {
      expect(JSON.parse(body)).toEqual({
        principalId: PRINCIPAL,
        resourceId: GRAPH_SP,
        appRoleId: REPORTS_READ_ALL,
      });
    }
    expectNoParentheses(run);
  });

  it("looks up Graph's service principal with `az ad sp show --id <appId>`", () => {
    const run = grant(signedIn);
    expect(run.calls[1]).toEqual([
      'ad',
      'sp',
      'show',
      '--id',
      GRAPH_APP_ID,
      '--query',
      'id',
      '-o',
      'tsv',
    ]);
  });

  it('changes nothing when the identity already holds it', () => {
    const run = grant({ ...signedIn, FAKE_AZ_GRANTED_BY: `other-resource\n${GRAPH_SP}\n` });
    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toContain(
      'already has Microsoft Graph Reports.Read.All. Nothing to do.',
    );
    expect(posts(run.calls)).toEqual([]);
    expectNoParentheses(run);
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
    expect(lastLine(run.stdout)).toContain('granted Microsoft Graph Reports.Read.All');
  });

  it('takes the principal id from its argument too', () => {
    const args = interpreter === 'pwsh' ? ['-PrincipalId', PRINCIPAL] : [PRINCIPAL];
    const run = grant({ ...signedIn, AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID: '' }, { args });
    expect(run.code).toBe(0);
    expect(posts(run.calls)[0]).toContain(
      `https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`,
    );
  });

  it('treats an assignment made meanwhile as done', () => {
    const run = grant({ ...signedIn, FAKE_AZ_POST: 'exists' });
    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toContain('granted meanwhile');
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
      expect(run.stdout).toContain(byHand(interpreter));
      // The printed command is complete: every id filled in, a body Graph accepts; the last
      // line carries it whole.
      const body = { principalId: PRINCIPAL, resourceId: GRAPH_SP, appRoleId: REPORTS_READ_ALL };
      expect(printedBody(run.stdout)).toEqual(body);
      expect(lastLine(run.stdout)).toMatch(
        /^grant-graph-permission: ACTION NEEDED: Reports\.Read\.All is not granted; an administrator runs: az rest --method POST /,
      );
      expect(lastLineBody(run.stdout)).toEqual(body);
      expectNoParentheses(run);
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
      const lookup = `$(az ad sp show --id ${GRAPH_APP_ID} --query id -o tsv)`;
      expect(run.stdout).toContain(`\\"resourceId\\":\\"${lookup}\\"`);
      expect(lastLine(run.stdout)).toContain(`\\"resourceId\\":\\"${lookup}\\"`);
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
}
