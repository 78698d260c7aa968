import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/processes';

/**
 * tools/buildIfStale.mjs in a project of its own: a "build" script that counts its runs and
 * "compiles" src/main.ts to dist/main.js, so the test sees when it builds and what it runs.
 */
let project: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
  mkdirSync(join(project, 'tools'));
  mkdirSync(join(project, 'src'));
  copyFileSync(
    join(projectRoot, 'tools', 'buildIfStale.mjs'),
    join(project, 'tools', 'buildIfStale.mjs'),
  );
  const build = [
    "const fs = require('fs');",
    "fs.appendFileSync('builds.log', 'build\\n');",
    "fs.mkdirSync('dist', { recursive: true });",
    "fs.writeFileSync('dist/main.js', 'console.log(JSON.stringify(process.argv.slice(2)))');",
  ].join(' ');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'p', version: '1.0.0', scripts: { build: `node -e "${build}"` } }),
  );
  writeFileSync(join(project, 'tsconfig.build.json'), JSON.stringify({ include: ['src'] }));
  writeFileSync(join(project, 'src', 'main.ts'), 'export {};\n');
  // Everything a while ago, so "newer" is not decided by the clock's resolution.
  const past = new Date(Date.now() - 60_000);
  for (const file of ['package.json', 'tsconfig.build.json', 'src/main.ts'])
    utimesSync(join(project, file), past, past);
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, ['tools/buildIfStale.mjs', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { ...result, builds: builds() };
}
/** The last build as of 30 s ago, and `file` changed 10 s ago: after it, before now. */
function changedSinceLastBuild(file: string) {
  const stamp = join(project, 'dist', '.build-stamp');
  const [built, changed] = [30_000, 10_000].map((ago) => new Date(Date.now() - ago));
  utimesSync(stamp, built!, built!);
  utimesSync(join(project, file), changed!, changed!);
}
const builds = () =>
  existsSync(join(project, 'builds.log'))
    ? readFileSync(join(project, 'builds.log'), 'utf8').split('\n').filter(Boolean).length
    : 0;

describe('tools/buildIfStale.mjs', () => {
  it('builds when dist/ is missing, then runs the script with its own arguments', () => {
    const result = run('dist/main.js', '--period', 'D7');
    expect(result.status).toBe(0);
    expect(result.builds).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(['--period', 'D7']);
  });

  it('does not build again while no source is newer than the last build', () => {
    run('dist/main.js');
    const again = run('dist/main.js', '--help');
    expect(again.builds).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual(['--help']);
  });

  it.each(['src/main.ts', 'tsconfig.build.json', 'package.json'])(
    'builds again once %s is newer than the last build',
    (file) => {
      run('dist/main.js');
      changedSinceLastBuild(file);
      expect(run('dist/main.js').builds).toBe(2);
      expect(run('dist/main.js').builds).toBe(2);
    },
  );

  it('builds when a new source file appears, and not for a file it does not compile', () => {
    run();
    writeFileSync(join(project, 'src', 'notes.txt'), 'not a source');
    changedSinceLastBuild('src/notes.txt');
    expect(run().builds).toBe(1);
    writeFileSync(join(project, 'src', 'other.ts'), 'export {};\n');
    changedSinceLastBuild('src/other.ts');
    expect(run().builds).toBe(2);
  });

  it('builds when a source is deleted or renamed, though no mtime is newer than the build', () => {
    writeFileSync(join(project, 'src', 'gone.ts'), 'export {};\n');
    run();
    rmSync(join(project, 'src', 'gone.ts'));
    expect(run().builds).toBe(2);
    expect(run().builds).toBe(2);
  });

  it('builds when the script to run is missing, though the stamp is current', () => {
    run('dist/main.js');
    rmSync(join(project, 'dist', 'main.js'));
    const result = run('dist/main.js', 'x');
    expect(result.builds).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual(['x']);
  });

  it('exits 1 without running the script, and stamps nothing, when the build fails', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    manifest.scripts.build = 'node -e "process.exit(2)"';
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
    const result = run('dist/main.js');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(existsSync(join(project, 'dist', '.build-stamp'))).toBe(false);
  });
});
