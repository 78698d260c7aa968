import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './bicep';
import { makeScratch } from './grantHook';

/**
 * `npm run lint:infra` (tools/infraTools/lintBicep.mjs) around a stand-in Bicep CLI
 * (fake-bicep.sh): which CLI it finds, and that a warning fails it like an error. The real CLI
 * runs in `.ci/run` (lint:infra and test:infra); these need no .NET.
 */

const lint = join(projectRoot, 'tools', 'infraTools', 'lintBicep.mjs');
let scratch: { dir: string; remove: () => void };
let runs = 0;

beforeAll(() => {
  scratch = makeScratch();
});
afterAll(() => scratch.remove());

/** A folder holding the stand-in as `bicep`. */
function cliIn(name: string): string {
  const dir = join(scratch.dir, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(__dirname, 'fake-bicep.sh'), join(dir, 'bicep'));
  chmodSync(join(dir, 'bicep'), 0o755);
  return dir;
}

function lintInfra(env: Record<string, string>) {
  runs += 1;
  const log = join(scratch.dir, `bicep-${runs}.log`);
  const result = spawnSync(process.execPath, [lint], {
    env: { FAKE_BICEP_LOG: log, ...env },
    encoding: 'utf8',
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: result.status, output: `${result.stdout}${result.stderr}`, calls };
}

const bashDir = '/usr/bin:/bin';

describe('npm run lint:infra', () => {
  it('compiles into a temporary folder and lints infra/main.bicep, with no findings', () => {
    const run = lintInfra({ PATH: `${cliIn('on-path')}:${bashDir}` });
    expect(run.code).toBe(0);
    expect(run.output).toContain('compiles and lints with no findings');
    const main = join(projectRoot, 'infra', 'main.bicep');
    expect(run.calls[1]).toMatch(new RegExp(`^build ${main} --outdir /.+`));
    expect(run.calls[2]).toBe(`lint ${main}`);
  });

  it('takes BICEP_CLI before a bicep on the PATH', () => {
    const chosen = cliIn('chosen');
    const run = lintInfra({
      BICEP_CLI: join(chosen, 'bicep'),
      PATH: `${cliIn('other')}:${bashDir}`,
      FAKE_BICEP_LOG: join(scratch.dir, 'chosen.log'),
    });
    expect(run.code).toBe(0);
    expect(readFileSync(join(scratch.dir, 'chosen.log'), 'utf8')).toContain('lint ');
  });

  it('fails saying how to get the CLI when there is none', () => {
    const run = lintInfra({ PATH: join(scratch.dir, 'empty') });
    expect(run.code).toBe(1);
    expect(run.output).toContain('No Bicep CLI: set BICEP_CLI');
    expect(run.output).toContain('tools/infraTools/fetch.sh bicep');
  });

  it.each([
    ['a compiler warning', { FAKE_BICEP_FINDING: 'build' }, 'Warning no-unused-params'],
    ['a linter warning', { FAKE_BICEP_FINDING: 'lint' }, 'Warning no-unused-params'],
    ['a compile error', { FAKE_BICEP_FAIL: 'build' }, 'Error BCP007'],
    ['a lint error', { FAKE_BICEP_FAIL: 'lint' }, 'Error BCP007'],
  ])('fails on %s, showing it', (_, env, finding) => {
    const run = lintInfra({ PATH: `${cliIn('findings')}:${bashDir}`, ...env });
    expect(run.code).toBe(1);
    expect(run.output).toContain(finding);
  });
});
