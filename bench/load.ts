import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { readOptions } from '../tools/args';
import { AzuriteProcess, startAzurite } from '../tools/azurite';
import { freePort } from '../tools/freePort';
import { bypassProxyForLoopback } from '../tools/localSettings';
import { projectRoot } from '../tools/projectRoot';
import { parseSnapshotName } from '../shared/archive/blobNames';
import { addDays } from '../shared/reports/dates';
import { ReportPeriod, skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { edgeOfTime, seedEdgeIndex } from './edgeOfTime';
import { writeJson } from './files';
import { failed, load } from './loadGen';
import { describeMachine } from './machine';
import {
  HostProcess,
  memoryOf,
  NEVER,
  scratchFolder,
  SimulatorProcess,
  startHost,
  startSimulator,
} from './processes';
import {
  brokenInvariants,
  count,
  Invariant,
  LoadResults,
  OversizeFigures,
  reliabilityFromLoad,
  StorageKillFigures,
} from './report';

/**
 * `npm run bench:load [-- --quick]`: the host under load while Graph misbehaves and storage
 * dies, bounded in time (about 3 minutes; 30 s with --quick), loopback only. Three parts:
 * 1. the largest download refused: Graph's download streams 1 GiB with no Content-Length;
 * 2. load with faults: REPORT_CACHE_SECONDS=2 and the simulator's chaos mode (429s, 5xx and slow
 *    answers at seeded rates) while c=100 ask for a report already cached once;
 * 2b. edge of time: the requests of issue 16's defects (1) and (6) during load, with the p99 of
 *    the load without and with them;
 * 3. storage kills: Azurite killed with SIGKILL as a snapshot run stores, restarted, the run
 *    repeated; every snapshot due must then be in the archive, byte for byte.
 * Exits 1 if any request failed or was answered 5xx, if the host asked Graph more often than
 * GRAPH_CALL_BUDGET allows, if the download was not refused, or if a snapshot was lost.
 */
interface Plan {
  readonly loadSeconds: number;
  readonly kills: number;
  /** Each half of the edge-of-time phase: load without, then with, those requests. */
  readonly edgeSeconds: number;
}

const FULL: Plan = { loadSeconds: 150, kills: 5, edgeSeconds: 15 };
const QUICK: Plan = { loadSeconds: 15, kills: 2, edgeSeconds: 4 };

const CONNECTIONS = 100;
const BUDGET = 10;
const REQUEST_TIMEOUT_MS = 30_000;
const OFFERED_BYTES = 1024 ** 3;
const LIMIT_BYTES = 1024 * 1024;
const KILL_PERIODS: readonly ReportPeriod[] = ['D7', 'D30', 'D90'];
const DEFAULT_SEED = 20_261_204;

function progress(line: string): void {
  console.log(`  ${line}`);
}

const reportUrl = (host: HostProcess, period: ReportPeriod) =>
  `${host.url}/api/reports/${skypeP2pMinuteCounts.routeSlug}?period=${period}`;

async function get(url: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, ms: Date.now() - started };
}

/** (1) A download far past GRAPH_MAX_DOWNLOAD_BYTES, streamed without a length, on a cold period. */
async function oversize(host: HostProcess, simulator: SimulatorProcess): Promise<OversizeFigures> {
  const before = memoryOf(host.pid)?.rssMiB ?? Number.NaN;
  // One per attempt the client may make; what it leaves is dropped after.
  await simulator.inject(
    Array.from({ length: 4 }, () => ({
      fault: { kind: 'oversize', bytes: OFFERED_BYTES, announce: false },
      on: 'download',
    })),
  );
  const answer = await get(reportUrl(host, 'D30'));
  await simulator.clearFaults();
  const after = memoryOf(host.pid)?.peakMiB ?? Number.NaN;
  progress(`(1) ${count(OFFERED_BYTES)} bytes offered: ${answer.status} in ${answer.ms} ms`);
  return {
    offeredBytes: OFFERED_BYTES,
    limitBytes: LIMIT_BYTES,
    status: answer.status,
    ms: answer.ms,
    rssGrowthMiB: after - before,
  };
}

/** Blob names and bytes of one container, with whether each matches its recorded SHA-256. */
async function archived(connectionString: string, container: string) {
  const client =
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  const blobs = new Map<string, { bytes: Buffer; intact: boolean }>();
  if (!(await client.exists())) return blobs;
  for await (const item of client.listBlobsFlat({ includeMetadata: true })) {
    // Snapshots only: the index, the run record and the cache lock change by design.
    if (!parseSnapshotName(skypeP2pMinuteCounts, item.name)) continue;
    const bytes = await client.getBlobClient(item.name).downloadToBuffer();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    blobs.set(item.name, { bytes, intact: item.metadata?.sha256 === sha256 });
  }
  return blobs;
}

/**
 * (3) Each round: a new refresh date, a snapshot run started by hand, Azurite killed as soon as
 * the run logs its first stored blob, restarted on the same port and folder, the run repeated.
 * A fresh host each round, so no retry of an earlier round runs meanwhile.
 */
async function storageKills(
  plan: Plan,
  simulator: SimulatorProcess,
  azurite: { current: AzuriteProcess; restart(): Promise<void> },
  settings: Record<string, string>,
): Promise<StorageKillFigures> {
  const container = `load-kills-${randomBytes(4).toString('hex')}`;
  const hostSettings = {
    ...settings,
    SNAPSHOT_CONTAINER: container,
    SNAPSHOT_PERIODS: KILL_PERIODS.join(','),
    GRAPH_CALL_BUDGET: '0',
  };
  const figures = { kills: 0, runsBroken: 0, recovered: 0, lost: 0 };
  const base = simulator.refreshDate;
  // Each hop slow, so a run spends long enough between its stores for the kill to land.
  await simulator.change({ latencyMs: 100 });
  try {
    for (let round = 0; round < plan.kills; round++) {
      const refreshDate = addDays(base, round - plan.kills);
      await simulator.change({ refreshDate });
      const host = await startHost('kills', hostSettings);
      try {
        const run = async (kill: boolean) => {
          const from = host.log().length;
          const trigger = await fetch(`${host.url}/admin/functions/skypeP2pSnapshot`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{}',
          });
          if (trigger.status !== 202) throw new Error(`The admin API answered ${trigger.status}.`);
          if (kill) {
            await host.waitForLog(/Stored /, { from });
            azurite.current.child.kill('SIGKILL');
            figures.kills++;
          }
          const done = await host.waitForLog(
            /Executed 'Functions\.skypeP2pSnapshot' \((Succeeded|Failed)/,
            { from, timeoutMs: 60_000 },
          );
          return done.includes('Failed');
        };
        const broken = await run(true);
        if (broken) figures.runsBroken++;
        await azurite.restart();
        await run(false);
        const blobs = await archived(azurite.current.connectionString, container);
        let intact = 0;
        for (const period of KILL_PERIODS) {
          const name = `${skypeP2pMinuteCounts.blobPrefix}/${period}/${refreshDate}.csv`;
          const blob = blobs.get(name);
          const expected = await simulator.report(period);
          if (blob?.intact && blob.bytes.equals(expected)) intact++;
          else figures.lost++;
        }
        // A blob cut short by the kill would show here: its bytes no longer match its hash.
        figures.lost += [...blobs.values()].filter((blob) => !blob.intact).length;
        if (intact === KILL_PERIODS.length) figures.recovered++;
        progress(
          `(3) round ${round + 1}/${plan.kills}: killed ${broken ? 'mid-run (the run failed)' : 'after the run had stored everything'}; after the next run ${intact}/${KILL_PERIODS.length} snapshots intact`,
        );
      } finally {
        await host.stop();
      }
    }
  } finally {
    await simulator.change({ latencyMs: 0, refreshDate: base }).catch(() => undefined);
  }
  return figures;
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv, {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (options.help) {
    console.log(
      'npm run bench:load [-- --quick] [--seed N] [--out FILE]\n' +
        '  Load with Graph faults and storage kills, about 3 minutes (30 s with --quick), loopback only.\n' +
        '  Writes bench/results/load.json (a full run) or FILE. Exits 1 on any failed or 5xx request,\n' +
        '  Graph calls past GRAPH_CALL_BUDGET, a download not refused, or a snapshot lost.',
    );
    return 0;
  }
  const quick = options.quick === true;
  const plan = quick ? QUICK : FULL;
  const seed = options.seed === undefined ? DEFAULT_SEED : Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed takes a whole number.');
  const out =
    options.out ?? (quick ? undefined : join(projectRoot(), 'bench', 'results', 'load.json'));
  bypassProxyForLoopback();
  const machine = describeMachine();
  const started = Date.now();
  const chaos = { seed, throttle: 0.25, serverError: 0.25, slow: 0.2, slowMs: 3_000 };
  console.log(
    `Load run${quick ? ' (quick)' : ''}: ${plan.loadSeconds} s at c=${CONNECTIONS}, chaos ${JSON.stringify(chaos)}, ${plan.kills} storage kills`,
  );

  const storage = scratchFolder('bench-load-azurite-');
  const port = await freePort();
  const azurite = {
    current: await startAzurite({ port, location: storage.path }),
    async restart() {
      await this.current.stop();
      this.current = await startAzurite({ port, location: storage.path });
    },
  };
  let simulator: SimulatorProcess | undefined;
  let host: HostProcess | undefined;
  try {
    simulator = await startSimulator(randomBytes(24).toString('base64url'));
    const settings = {
      GRAPH_BASE_URL: simulator.baseUrl,
      GRAPH_ACCESS_TOKEN: simulator.token,
      SNAPSHOT_STORAGE: azurite.current.connectionString,
      AzureWebJobsStorage: azurite.current.connectionString,
      SNAPSHOT_SCHEDULE: NEVER,
      SNAPSHOT_PERIODS: 'D7',
    };
    const loadContainer = `load-${randomBytes(4).toString('hex')}`;
    // The status reads this index during the edge-of-time phase (no snapshot run writes one).
    await seedEdgeIndex(azurite.current.connectionString, loadContainer);
    host = await startHost('load', {
      ...settings,
      SNAPSHOT_CONTAINER: loadContainer,
      REPORT_CACHE_SECONDS: '2',
      GRAPH_CALL_BUDGET: String(BUDGET),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      GRAPH_MAX_DOWNLOAD_BYTES: String(LIMIT_BYTES),
    });
    const callsAtStart = (await simulator.stats()).apiCalls;
    const rssStart = memoryOf(host.pid)?.rssMiB ?? Number.NaN;

    const refused = await oversize(host, simulator);

    // (2) A good report first, then faults, then load.
    const warm = await get(reportUrl(host, 'D180'));
    if (warm.status !== 200) throw new Error(`The first D180 request answered ${warm.status}.`);
    const faultsBefore = (await simulator.stats()).chaos;
    await simulator.change({ chaos });
    const summary = await load(reportUrl(host, 'D180'), {
      connections: CONNECTIONS,
      durationSeconds: plan.loadSeconds,
      timeoutSeconds: REQUEST_TIMEOUT_MS / 1000 + 5,
    });
    await simulator.change({ chaos: null });
    const stats = await simulator.stats();
    const graphCalls = stats.apiCalls - callsAtStart;
    const faultsInjected = Object.fromEntries(
      Object.entries(stats.chaos).map(([kind, value]) => [
        kind,
        value - faultsBefore[kind as keyof typeof faultsBefore],
      ]),
    );
    const memory = memoryOf(host.pid);
    progress(
      `(2) ${count(summary.requests)} requests in ${summary.seconds.toFixed(0)} s: ${JSON.stringify(summary.statuses)}, ${summary.errors} errors; ${graphCalls} Graph calls; faults ${JSON.stringify(faultsInjected)}`,
    );
    const edge = await edgeOfTime(host.url, reportUrl(host, 'D180'), plan.edgeSeconds, CONNECTIONS);
    progress(
      `(2b) edge of time: ${edge.sent} requests at 9999-12-31 and over an index 2000-01-01..9999-12-30 during load, ${edge.failed} failed ${JSON.stringify(edge.statuses)}; load p99 ${edge.p99WithoutMs} ms without them, ${edge.p99WithMs} ms with them`,
    );
    await host.stop();
    host = undefined;

    const kills = await storageKills(plan, simulator, azurite, settings);

    const invariants: Invariant[] = [
      {
        name: 'no 5xx once a good report is cached',
        holds: summary.serverErrors === 0,
        detail: `${summary.serverErrors} answers 5xx`,
      },
      {
        name: 'no failed request',
        holds: failed(summary) === 0,
        detail: `${summary.non2xx} non-2xx ${JSON.stringify(summary.statuses)}, ${summary.errors} errors, ${summary.timeouts} timeouts`,
      },
      {
        name: `Graph calls within GRAPH_CALL_BUDGET (${BUDGET} per 10 minutes)`,
        holds: graphCalls <= BUDGET,
        detail: `${graphCalls} report calls in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      },
      {
        name: 'the oversized download refused with 502',
        holds: refused.status === 502,
        detail: `answered ${refused.status}`,
      },
      {
        name: 'every edge-of-time request answered (no timeout, no 500)',
        holds: edge.failed === 0 && edge.sent > 0,
        detail: `${edge.failed} of ${edge.sent} failed; p99 ${edge.p99WithoutMs} ms without, ${edge.p99WithMs} ms with`,
      },
      {
        name: 'no snapshot lost to a storage kill',
        holds: kills.lost === 0 && kills.recovered === kills.kills,
        detail: `${kills.lost} lost, ${kills.recovered} of ${kills.kills} rounds complete`,
      },
    ];
    const results: LoadResults = {
      suite: 'load',
      generatedAt: new Date().toISOString(),
      quick,
      machine,
      chaos,
      connections: CONNECTIONS,
      load: summary,
      graphCalls: { count: graphCalls, budget: BUDGET },
      faultsInjected,
      rss: {
        startMiB: rssStart,
        endMiB: memory?.rssMiB ?? Number.NaN,
        peakMiB: memory?.peakMiB ?? Number.NaN,
      },
      oversize: refused,
      edgeOfTime: edge,
      storageKills: kills,
      invariants,
    };
    console.log(`\n${reliabilityFromLoad(results)}\n`);
    for (const invariant of invariants)
      console.log(
        `${invariant.holds ? 'held  ' : 'BROKEN'} ${invariant.name}: ${invariant.detail}`,
      );
    if (out) {
      await writeJson(out, results);
      console.log(`Wrote ${out}; npm run figures puts it in README.md.`);
    }
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    return brokenInvariants(invariants).length === 0 ? 0 : 1;
  } finally {
    await host?.stop();
    await simulator?.stop();
    await azurite.current.stop();
    storage.remove();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`The load run failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
