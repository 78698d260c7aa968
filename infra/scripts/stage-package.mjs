// Stages the function app package azd uploads (azure.yaml: `remoteBuild: false`, `dist: .deploy`,
// run as the service's prepackage hook): a clean build and production dependencies only.
//
//   1. an empty .deploy/ (nothing from an earlier build can be uploaded and registered);
//   2. tsc into .deploy/dist, then openapi.yaml converted to .deploy/dist/openapi.json; what only
//      the build and the command-line tools use (dist/build, dist/tools, dist/bench) is removed,
//      so `main: dist/functions/*.js` registers exactly the functions of this commit;
//   3. package.json, package-lock.json and host.json, and `npm ci --omit=dev`: the five runtime
//      packages and their dependencies, none of the test, lint or build tools;
//   4. the size of what goes up, measured and printed.
//
// Node.js only (no TypeScript runner), so it runs wherever azd does. Usage:
//   node infra/scripts/stage-package.mjs [--out DIR] [--json]
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import console from 'node:console';
import process from 'node:process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fail(message) {
  console.error(`stage-package: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    ...options,
  });
  if (result.status !== 0) {
    fail(
      `${[command, ...args].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Every file under dir, as paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Files, bytes, and bytes once deflated (what a zip of them weighs, within a few per cent). */
export function measure(dir) {
  let bytes = 0;
  let deflated = 0;
  const files = filesUnder(dir);
  for (const file of files) {
    const content = readFileSync(join(dir, file));
    bytes += content.length;
    deflated += Math.min(content.length, deflateRawSync(content).length);
  }
  return { files: files.length, bytes, deflated };
}

export function stage(out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // 2. A clean compile: an empty outDir, no incremental state from the working tree's dist/.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const buildInfo = join(out, '.tsbuildinfo');
  run(process.execPath, [
    tsc,
    '-p',
    join(root, 'tsconfig.build.json'),
    '--outDir',
    join(out, 'dist'),
    '--tsBuildInfoFile',
    buildInfo,
    '--sourceMap',
    'false',
  ]);
  rmSync(buildInfo, { force: true });
  // The converter reads openapi.yaml and writes dist/openapi.json relative to its working folder;
  // `yaml` comes from the project's own node_modules (a build tool, not shipped).
  cpSync(join(root, 'openapi.yaml'), join(out, 'openapi.yaml'));
  run(process.execPath, [join(out, 'dist', 'build', 'openapi.js')], {
    cwd: out,
    env: {
      ...process.env,
      NODE_PATH: [join(root, 'node_modules'), process.env.NODE_PATH]
        .filter(Boolean)
        .join(delimiter),
    },
  });
  rmSync(join(out, 'openapi.yaml'));
  for (const unused of ['build', 'tools', 'bench'])
    rmSync(join(out, 'dist', unused), { recursive: true, force: true });

  // 3. What the Functions host needs besides the code, and the production dependencies.
  for (const file of ['package.json', 'package-lock.json', 'host.json'])
    cpSync(join(root, file), join(out, file));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: out,
    shell: process.platform === 'win32',
  });
  // azd reads this folder's ignore file: everything staged here is the package.
  writeFileSync(
    join(out, '.funcignore'),
    '# Written by infra/scripts/stage-package.mjs: this whole folder is the package.\n',
  );

  const functions = readdirSync(join(out, 'dist', 'functions')).filter((file) =>
    file.endsWith('.js'),
  );
  return {
    out,
    functions,
    total: measure(out),
    nodeModules: measure(join(out, 'node_modules')),
    packages: readdirSync(join(out, 'node_modules'), { withFileTypes: true }).filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.'),
    ).length,
  };
}

const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : join(root, '.deploy');
  if (!out) fail('--out needs a folder');
  const staged = stage(out);
  if (args.includes('--json')) {
    console.log(JSON.stringify(staged));
    return;
  }
  console.log(
    `stage-package: ${relative(process.cwd(), out) || out}: ${staged.functions.length} functions; ` +
      `${staged.total.files} files, ${megabytes(staged.total.bytes)} (${megabytes(staged.total.deflated)} deflated), ` +
      `of which node_modules ${megabytes(staged.nodeModules.bytes)} in ${staged.nodeModules.files} files.`,
  );
  statSync(join(out, 'host.json'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
