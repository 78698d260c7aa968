// `npm run lint:infra`: compiles infra/main.bicep with the Bicep CLI (`bicep build` into a
// temporary folder) and lints it (`bicep lint`, rules from infra/bicepconfig.json, all errors).
// Any compiler or linter warning fails it too: zero findings is the bar, not zero errors.
// The CLI is BICEP_CLI, else `bicep` on the PATH, else it fails saying how to get one.
// With --out DIR the compiled ARM JSON is kept there (test:infra reads it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const template = join(root, 'infra', 'main.bicep');

/** The Bicep CLI to run, or undefined. */
export function findBicep(env = process.env) {
  if (env.BICEP_CLI) return env.BICEP_CLI;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'bicep'))) return join(dir, 'bicep');
  }
  return undefined;
}

export const HOW_TO_GET_BICEP =
  'No Bicep CLI: set BICEP_CLI to its path or put `bicep` on the PATH. ' +
  'tools/infraTools/fetch.sh bicep fetches it from NuGet (needs the .NET SDK) and prints ' +
  '`export BICEP_CLI=...`; or install it with `az bicep install` (then it is ~/.azure/bin/bicep).';

/** Runs the CLI; returns its output, failing on a non-zero exit or any warning. */
function run(bicep, args) {
  const result = spawnSync(bicep, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`could not run ${bicep}: ${result.error.message}`);
  const output = `${result.stdout}${result.stderr}`.trim();
  const findings = output.split('\n').filter((line) => / : (Warning|Error) /.test(line));
  if (result.status !== 0 || findings.length > 0) {
    throw new Error(
      `bicep ${args[0]} ${result.status === 0 ? 'found' : `exited ${result.status} with`}:\n${output}`,
    );
  }
  return output;
}

function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const keep = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const bicep = findBicep();
  if (!bicep) {
    console.error(`lint:infra: ${HOW_TO_GET_BICEP}`);
    process.exit(1);
  }
  const out = keep ?? mkdtempSync(join(tmpdir(), 'bicep-build-'));
  try {
    const version = spawnSync(bicep, ['--version'], { encoding: 'utf8' }).stdout.trim();
    run(bicep, ['build', template, '--outdir', out]);
    run(bicep, ['lint', template]);
    console.log(`lint:infra: infra/main.bicep compiles and lints with no findings (${version}).`);
  } catch (error) {
    console.error(`lint:infra: ${error.message}`);
    process.exitCode = 1;
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
