import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, readProjectFile } from '../bicep';
import { runProjectScript } from '../../support/processes';

/**
 * The package `azd deploy` uploads, staged for real by infra/scripts/stage-package.mjs (the
 * service's prepackage hook) outside the project, so that nothing resolves from the project's
 * own node_modules: the functions of this commit and only them, production dependencies only,
 * every compiled module loading under Node.js 22 (the deployed runtime) from that folder alone,
 * and the size the README gives.
 */

interface Staged {
  out: string;
  functions: string[];
  total: { files: number; bytes: number; deflated: number };
  nodeModules: { files: number; bytes: number; deflated: number };
}

const pkg = JSON.parse(readProjectFile('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let parent: string;
let staged: Staged;

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'deploy-package-'));
  const stdout = runProjectScript(
    'stage-package',
    ['infra', 'scripts', 'stage-package.mjs'],
    ['--out', join(parent, 'package'), '--json'],
    300_000,
  );
  staged = JSON.parse(stdout) as Staged;
}, 300_000);

afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Node.js 22: NODE22_BIN (tools/infraTools/fetch.sh node22 prints it). */
function node22(): string {
  const bin = process.env.NODE22_BIN;
  if (!bin) throw new Error('NODE22_BIN is not set: eval "$(tools/infraTools/fetch.sh node22)"');
  return join(bin, 'node');
}

describe('the deployment package (.deploy/)', () => {
  it('registers exactly the functions of this commit', () => {
    const sources = readdirSync(join(projectRoot, 'functions'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, '.js'));
    expect(staged.functions.sort()).toEqual(sources.sort());
  });

  it('holds the host files and the compiled app, not the sources, tools or source maps', () => {
    const top = readdirSync(staged.out).sort();
    expect(top).toEqual(
      [
        '.funcignore',
        'dist',
        'host.json',
        'node_modules',
        'package-lock.json',
        'package.json',
      ].sort(),
    );
    expect(readdirSync(join(staged.out, 'dist')).sort()).toEqual([
      'functions',
      'openapi.json',
      'shared',
    ]);
    const maps = readdirSync(join(staged.out, 'dist'), { recursive: true }).filter((file) =>
      String(file).endsWith('.map'),
    );
    expect(maps).toEqual([]);
  });

  it('installs the production dependencies and no devDependency', () => {
    const installed = JSON.parse(
      readFileSync(join(staged.out, 'node_modules', '.package-lock.json'), 'utf8'),
    ) as { packages: Record<string, { dev?: boolean }> };
    const names = Object.keys(installed.packages).map((path) =>
      path.replace(/^.*node_modules\//, ''),
    );
    for (const dependency of Object.keys(pkg.dependencies)) expect(names).toContain(dependency);
    expect(names.filter((name) => name in pkg.devDependencies)).toEqual([]);
  });

  it('loads every compiled module under Node.js 22 from the package alone', () => {
    const result = spawnSync(
      node22(),
      [
        '-e',
        `const { readdirSync } = require('node:fs'); const { join } = require('node:path');
         let loaded = 0;
         for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
           if (entry.isFile() && entry.name.endsWith('.js')) { require(join(process.cwd(), entry.parentPath, entry.name)); loaded += 1; }
         }
         console.log(process.version + ' ' + loaded);`,
      ],
      { cwd: staged.out, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(
      result.stderr.split('\n').filter((line) => /Error|Cannot find module/.test(line)),
    ).toEqual([]);
    expect(result.status).toBe(0);
    const [version, loaded] = result.stdout.trim().split('\n').at(-1)!.split(' ');
    expect(version).toMatch(/^v22\./);
    expect(Number(loaded)).toBeGreaterThan(staged.functions.length);
  });

  it('weighs what the README says, within 15%', () => {
    const deploy = readProjectFile('README.md')
      .split('\n## Deploy to Azure\n')[1]!
      .split('\n## ')[0]!;
    const match = /uploads\s+about\s+(\d+)\s+MB\s+\((\d+)\s+MB\s+zipped\)/.exec(deploy);
    expect(match).not.toBeNull();
    const megabytes = (bytes: number) => bytes / 1024 / 1024;
    const close = (stated: string, measured: number) =>
      expect(Math.abs(Number(stated) - measured) / measured).toBeLessThan(0.15);
    close(match![1]!, megabytes(staged.total.bytes));
    close(match![2]!, megabytes(staged.total.deflated));
  });
});
