// The postdeploy hook (azure.yaml): runs the snapshot job once right after a deployment, so a
// fresh archive is healthy within minutes instead of at the next scheduled run (06:00 UTC by
// default), and the availability test on /status (infra/app/availability.bicep) has no reason
// to alert. An archive that is already healthy is left alone (a redeploy costs no Graph call).
//
// With the outputs of infra/main.bicep in the environment (azd sets them), and the Azure CLI
// signed in (`az login`) as someone who may list the app's keys. It asks az for the master key,
// which stays in this process: it is never printed or written. By hand:
//
//   node infra/scripts/first-snapshot.mjs
//
// It never fails the deployment (exit 0): its last line says what happened and what to do.
/* global fetch, AbortSignal -- Node.js 20 and 22 have both built in */
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import console from 'node:console';
import process from 'node:process';

const STATUS_PATH = '/api/reports/skype-p2p-minute-counts/status';
const SNAPSHOT_PATH = '/admin/functions/skypeP2pSnapshot';
const env = process.env;
const pollMs = Number(env.FIRST_SNAPSHOT_POLL_MS ?? 5000);
const timeoutMs = Number(env.FIRST_SNAPSHOT_TIMEOUT_MS ?? 180_000);

const say = (message) => console.log(`first-snapshot: ${message}`);

function done(message) {
  say(message);
  process.exit(0);
}

const app = env.AZURE_FUNCTION_APP_NAME;
const group = env.AZURE_RESOURCE_GROUP;
const url = env.AZURE_FUNCTION_URL?.replace(/\/+$/, '');
const byHand =
  'run it by hand later: node infra/scripts/first-snapshot.mjs (README, "Keep an eye on it")';

if (!app || !group || !url) {
  done(
    `AZURE_FUNCTION_APP_NAME, AZURE_RESOURCE_GROUP and AZURE_FUNCTION_URL must be set (azd sets them). Nothing done; ${byHand}.`,
  );
}

// On Windows az is az.cmd, which needs a shell; no argument here holds a character cmd.exe treats specially.
const az = spawnSync(
  'az',
  ['functionapp', 'keys', 'list', '-g', group, '-n', app, '--query', 'masterKey', '-o', 'tsv'],
  {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  },
);
const masterKey = az.status === 0 ? az.stdout.trim() : '';
if (!masterKey) {
  const why = az.error
    ? 'the Azure CLI (az) is not installed'
    : `the Azure CLI could not list the keys of ${app} (${(az.stderr ?? '').trim().slice(0, 300) || 'no key'})`;
  done(`SNAPSHOT NOT RUN: ${why}; ${byHand}.`);
}
const headers = { 'x-functions-key': masterKey };

/** /status as { code, body }, or { code: 0 } when the app does not answer. */
async function status() {
  try {
    const response = await fetch(`${url}${STATUS_PATH}`, {
      headers,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.json().catch(() => undefined);
    return { code: response.status, body };
  } catch {
    return { code: 0 };
  }
}

const before = await status();
if (before.code === 200 && before.body?.healthy === true) {
  done(
    `the archive is already healthy (newest refresh date ${before.body.newestRefreshDate}). Nothing to do.`,
  );
}

// Right after a deployment the host may still be loading the new package: 404 or 5xx until then.
const deadline = Date.now() + timeoutMs;
const triggeredAt = new Date();
let accepted = false;
let lastAnswer = 'no answer';
while (!accepted && Date.now() < deadline) {
  try {
    const response = await fetch(`${url}${SNAPSHOT_PATH}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(30_000),
    });
    accepted = response.status === 202 || response.status === 200;
    lastAnswer = `HTTP ${response.status}`;
  } catch (error) {
    lastAnswer = error instanceof Error ? error.message : String(error);
  }
  if (!accepted) {
    say(`the app is not ready to run the snapshot yet (${lastAnswer}); retrying.`);
    await sleep(pollMs);
  }
}
if (!accepted) done(`SNAPSHOT NOT RUN: ${url}${SNAPSHOT_PATH} answered ${lastAnswer}; ${byHand}.`);
say('snapshot started; waiting for /status to report its run.');

// The run writes _status/last-run.json when it ends, failed or not.
while (Date.now() < deadline) {
  const now = await status();
  const lastRun = now.body?.lastRun;
  if (lastRun && new Date(lastRun.startedAt) >= new Date(triggeredAt.getTime() - 60_000)) {
    if (now.code === 200)
      done(
        `first snapshot stored: /status answers 200 (newest refresh date ${now.body.newestRefreshDate}).`,
      );
    const error = lastRun.error ? `: ${JSON.stringify(lastRun.error).slice(0, 300)}` : '';
    done(
      `SNAPSHOT FAILED, /status answers ${now.code} (${now.body?.reason ?? 'unhealthy'})${error}. ` +
        'If the Graph permission was just granted, it can take a while to apply; the timer retries daily, or ' +
        `${byHand}. The availability alert fires after 30 minutes of this.`,
    );
  }
  await sleep(pollMs);
}
done(
  `SNAPSHOT PENDING: no run reported on /status within ${Math.round(timeoutMs / 1000)} s; check it later (README, "Keep an eye on it").`,
);
