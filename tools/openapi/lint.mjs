// `npm run lint:openapi`: Redocly's linter (rules in redocly.yaml), offline, on openapi.yaml (the
// contract as written, for the first report) and on dist/openapi.json (the contract of every
// catalogued report, as served), which the npm script builds first. A node wrapper rather than
// `env VAR=... redocly`, so the script runs the same on Windows.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(
  process.execPath,
  [cli, 'lint', 'openapi.yaml', join('dist', 'openapi.json')],
  {
    cwd: root,
    stdio: 'inherit',
    // No usage report to Redocly and no look-up of its latest version on npm.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
if (result.error) process.stderr.write(`Could not run Redocly: ${result.error.message}\n`);
process.exit(result.status ?? 1);
