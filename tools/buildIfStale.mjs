// `node tools/buildIfStale.mjs [dist/tools/script.js [args...]]`: runs `npm run build` only when
// a source is newer than the last successful build, then (if given) runs the compiled script in
// this same process with the remaining arguments.
//
// Why: `tsc` costs 5-9 s even when `incremental` finds nothing to do, so every `npm run report`
// paid that for nothing. Why plain JavaScript: it must run before anything is compiled. Why the
// script runs in this process: one Node start instead of two, and npm's run-script gives this
// process the signals it forwards (a second Node would be one more process to pass them to).
//
// "Newer" means an mtime later than the stamp this script writes after a successful build (set
// to the moment the build started, so an edit made during a build is seen next time). The
// sources are the TypeScript files under the folders tsconfig.build.json includes, plus the
// files that change what the build makes. dist/ missing, the stamp missing, or the script to run
// missing all mean "build". `npm run build` itself always builds (and writes no stamp, so the
// next command rebuilds once). Two commands started at once build once: the first takes a lock
// (a folder, created atomically), the other waits for it and checks again.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join(root, 'dist', '.build-stamp');
const LOCK = join(root, 'dist', '.build-lock');
/** Files outside the included folders that change what `npm run build` makes. */
const BUILD_INPUTS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.browser.json',
  'package.json',
  'package-lock.json',
  'openapi.yaml',
];
const SOURCE = /\.(ts|mts|cts)$/;
/** A lock older than this was left by a build that died; builds take well under a minute. */
const STALE_LOCK_MS = 5 * 60_000;

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The newest mtime among the build's inputs, and the sources' paths: a source deleted or renamed
 * changes the list though no mtime moves, and must force the build (which clears dist/functions/
 * of an entry file that is gone).
 */
function buildInputs() {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  let newest = 0;
  const sources = [];
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (SOURCE.test(entry.name)) {
        sources.push(
          path
            .slice(root.length + 1)
            .split('\\')
            .join('/'),
        );
        newest = Math.max(newest, mtimeMs(path) ?? 0);
      }
    }
  };
  for (const include of config.include ?? []) {
    const path = join(root, include);
    if (existsSync(path) && statSync(path).isDirectory()) visit(path);
    else newest = Math.max(newest, mtimeMs(path) ?? 0);
  }
  for (const file of BUILD_INPUTS) newest = Math.max(newest, mtimeMs(join(root, file)) ?? 0);
  return { newest, sources: sources.sort().join('\n') };
}

/** The source list a stamp was written for (its lines after the first). */
function stampedSources() {
  try {
    return readFileSync(STAMP, 'utf8').split('\n').slice(1).join('\n').trim();
  } catch {
    return '';
  }
}

/** Why dist/ needs a build, or undefined when it is current. */
export function staleReason(required = []) {
  const stamp = mtimeMs(STAMP);
  if (stamp === undefined) return 'no build stamp';
  for (const file of required) if (!existsSync(file)) return `${file} is missing`;
  const inputs = buildInputs();
  if (inputs.newest > stamp) return 'a source is newer than the build';
  if (inputs.sources !== stampedSources()) return 'a source was added, deleted or renamed';
  return undefined;
}

function npmRunBuild() {
  // Through npm, so whatever "build" does is done; npm's own path when npm started us.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js')
    ? [process.execPath, [npmCli, 'run', 'build', '--silent']]
    : ['npm', ['run', 'build', '--silent']];
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32' && command === 'npm',
  });
  return result.status === 0;
}

function takeLock() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    const age = Date.now() - (mtimeMs(LOCK) ?? Date.now());
    if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds when stale; true when dist/ is current afterwards. */
export function buildIfStale(required = []) {
  for (;;) {
    if (staleReason(required) === undefined) return true;
    if (takeLock()) break;
    sleep(200);
  }
  try {
    // Another build may have finished between our check and the lock.
    if (staleReason(required) === undefined) return true;
    const started = new Date();
    const { sources } = buildInputs();
    if (!npmRunBuild()) return false;
    writeFileSync(STAMP, `${started.toISOString()}\n${sources}\n`);
    utimesSync(STAMP, started, started);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const script = process.argv[2] && resolve(root, process.argv[2]);
  if (!buildIfStale(script ? [script] : [])) {
    process.exitCode = 1;
  } else if (script) {
    // The compiled tools read process.argv.slice(2): make it the script's own arguments.
    process.argv.splice(1, 2, script);
    createRequire(import.meta.url)(script);
  }
}
