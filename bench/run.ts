import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOptions } from '../tools/args';
import { AzuriteProcess, startAzurite } from '../tools/azurite';
import { bypassProxyForLoopback } from '../tools/localSettings';
import { projectRoot } from '../tools/projectRoot';
import { addDays } from '../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { CATALOGUE } from '../shared/reports/catalogue';
import { writeJson } from './files';
import { failed, load, LoadSummary } from './loadGen';
import { describeMachine } from './machine';
import {
  distScript,
  LoggedProcess,
  memoryOf,
  NEVER,
  runNode,
  scratchFolder,
  SimulatorProcess,
  startHost,
  startLogged,
  startReadyNode,
  startSimulator,
} from './processes';
import {
  BenchResults,
  BenchRow,
  brokenInvariants,
  count,
  Invariant,
  mib,
  performanceTable,
} from './report';
import { alternate, pairedRatio, rotate } from './stats';

/**
 * `npm run bench [-- --quick]`: ratios measured side by side in one run, on loopback, against
 * processes this suite starts (Azurite, the Graph simulator, the local host as `npm start` runs
 * it). Goals are ratios, so they mean the same on any machine; the absolute numbers are printed
 * beside them. Exits 1 only when an invariant breaks (not exactly one Graph call per report for
 * 1,000 requests over every report and two hosts, or any request not answered 2xx), never on a
 * timing.
 */
export const REPORT_PATH = `/api/reports/${skypeP2pMinuteCounts.routeSlug}?period=D180`;

interface Plan {
  readonly warmupSeconds: number;
  /** Bare/host pairs for (1), each side loaded for `pairSeconds`. */
  readonly pairs: number;
  readonly pairSeconds: number;
  readonly uncachedSamples: number;
  readonly coldPairs: number;
  /** Load held for (5)'s before/after. */
  readonly soakSeconds: number;
}

const FULL: Plan = {
  warmupSeconds: 2,
  pairs: 7,
  pairSeconds: 3,
  uncachedSamples: 9,
  coldPairs: 9,
  soakSeconds: 180,
};
/** For CI: checks the invariants in well under a minute; its ratios are rough. */
const QUICK: Plan = {
  warmupSeconds: 0.5,
  pairs: 3,
  pairSeconds: 1,
  uncachedSamples: 3,
  coldPairs: 4,
  soakSeconds: 6,
};

const CONNECTIONS = 100;
const AMPLIFICATION_REQUESTS = 1000;
const HOP_LATENCY_MS = 100;

interface Context {
  readonly plan: Plan;
  readonly simulator: SimulatorProcess;
  readonly settings: Record<string, string>;
  /** Every load run and request, for the "every request succeeded" invariant. */
  readonly loads: { readonly what: string; readonly summary: LoadSummary }[];
}

interface PhaseResult {
  readonly rows: BenchRow[];
  readonly invariants: Invariant[];
  readonly details: Record<string, unknown>;
}

function progress(line: string): void {
  console.log(`  ${line}`);
}

/** A container no earlier phase or run has touched: empty memory and Blob caches. */
function freshContainer(phase: string): string {
  return `bench-${phase}-${randomBytes(4).toString('hex')}`;
}

async function loadAndKeep(
  context: Context,
  what: string,
  url: string,
  options: Parameters<typeof load>[1],
): Promise<LoadSummary> {
  const summary = await load(url, options);
  context.loads.push({ what, summary });
  return summary;
}

/** (1) and (5): cached throughput against a bare server, the host's memory meanwhile and after. */
async function cachedThroughput(context: Context): Promise<PhaseResult> {
  const { plan } = context;
  const host = await startHost('cached', {
    ...context.settings,
    SNAPSHOT_CONTAINER: freshContainer('cached'),
  });
  const scratch = scratchFolder('bench-bare-');
  let bare: Awaited<ReturnType<typeof startReadyNode>> | undefined;
  let alone: LoggedProcess | undefined;
  try {
    const hostUrl = `${host.url}${REPORT_PATH}`;
    const first = await fetch(hostUrl);
    const body = Buffer.from(await first.arrayBuffer());
    if (first.status !== 200)
      throw new Error(`The host answered ${first.status} to its first request: ${body}`);
    const headers: Record<string, string> = {};
    first.headers.forEach((value, name) => {
      if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name))
        headers[name] = value;
    });
    const answerFile = join(scratch.path, 'answer.json');
    writeFileSync(
      answerFile,
      JSON.stringify({ status: 200, headers, bodyBase64: body.toString('base64') }),
    );
    bare = await startReadyNode(distScript('bench', 'bareServer.js'), [answerFile]);
    const bareUrl = `http://127.0.0.1:${String(bare.ready.port)}${REPORT_PATH}`;
    const started = await startLogged(
      'The host-alone server',
      distScript('bench', 'constantHost.js'),
      [answerFile],
      {},
      /Local host listening on (\d+)/,
    );
    alone = started.process;
    const aloneUrl = `http://127.0.0.1:${/\d+/.exec(started.ready)![0]}${REPORT_PATH}`;

    const run = (what: string, url: string, durationSeconds: number) =>
      loadAndKeep(context, what, url, { connections: CONNECTIONS, durationSeconds });
    await run('(1) warm-up, bare', bareUrl, plan.warmupSeconds);
    await run('(1) warm-up, host alone', aloneUrl, plan.warmupSeconds);
    await run('(1) warm-up, host', hostUrl, plan.warmupSeconds);
    const rounds = await rotate(plan.pairs, {
      bare: () => run('(1) bare', bareUrl, plan.pairSeconds),
      host: () => run('(1) host', hostUrl, plan.pairSeconds),
      alone: () => run('(1) host alone', aloneUrl, plan.pairSeconds),
    });
    rounds.forEach((round, index) =>
      progress(
        `(1) round ${index + 1}/${plan.pairs}: host ${count(round.host.perSecond)} req/s, host alone ${count(round.alone.perSecond)} req/s, bare ${count(round.bare.perSecond)} req/s`,
      ),
    );
    const against = (side: 'host' | 'alone') =>
      pairedRatio(
        rounds.map((round) => ({ ours: round[side].perSecond, reference: round.bare.perSecond })),
      );
    const throughput = against('host');
    const hostAlone = against('alone');
    const peakUnderLoad = memoryOf(host.pid)?.peakMiB ?? Number.NaN;

    const before = memoryOf(host.pid)?.rssMiB ?? Number.NaN;
    const soak = await run('(5) soak, host', hostUrl, plan.soakSeconds);
    const after = memoryOf(host.pid);
    progress(
      `(5) ${plan.soakSeconds} s at c=${CONNECTIONS}: ${count(soak.requests)} requests, RSS ${mib(before)} → ${mib(after?.rssMiB ?? Number.NaN)}`,
    );
    return {
      rows: [
        {
          id: '1',
          measure: `Cached throughput, c=${CONNECTIONS}, median of ${plan.pairs} alternating ${plan.pairSeconds} s pairs`,
          ours: `${count(throughput.ours)} req/s through the host`,
          reference: `${count(throughput.reference)} req/s from bare node:http, same bytes`,
          ratio: throughput.ratio,
          goal: { at: 'least', value: 0.5 },
        },
        {
          id: '1h',
          measure: 'The host alone: (1) with a handler that answers the same bytes at once',
          ours: `${count(hostAlone.ours)} req/s through the host`,
          reference: `${count(hostAlone.reference)} req/s from bare node:http`,
          ratio: hostAlone.ratio,
        },
        {
          id: '5a',
          measure: 'Host peak RSS under (1)',
          ours: mib(peakUnderLoad),
          reference: '',
        },
        {
          id: '5b',
          measure: `Host RSS before and after ${plan.soakSeconds} s more at c=${CONNECTIONS} (${count(soak.requests)} requests)`,
          ours: `${mib(before)} → ${mib(after?.rssMiB ?? Number.NaN)} (peak ${mib(after?.peakMiB ?? Number.NaN)})`,
          reference: '',
          ratio: (after?.rssMiB ?? Number.NaN) / before,
        },
      ],
      invariants: [],
      details: {
        throughput: { ...throughput, hostAlone, rounds },
        memory: { peakUnderLoad, before, after, soak },
      },
    };
  } finally {
    await bare?.stop();
    await alone?.stop();
    scratch.remove();
    await host.stop();
  }
}

/** (2) Graph calls for 1,000 requests at c=100, split over two hosts sharing one Azurite. */
async function upstreamAmplification(context: Context): Promise<PhaseResult> {
  const settings = { ...context.settings, SNAPSHOT_CONTAINER: freshContainer('amplification') };
  const hosts = await Promise.allSettled([
    startHost('amp-a', settings),
    startHost('amp-b', settings),
  ]);
  try {
    const started = hosts.map((host) => {
      if (host.status === 'rejected') throw host.reason;
      return host.value;
    });
    const before = (await context.simulator.stats()).apiCalls;
    // Every report of the catalogue on every host: each report's first request anywhere makes
    // its one Graph call, every other request is served from the shared copy.
    const loads = started.flatMap((host, index) =>
      CATALOGUE.map((report) => ({ host, index, report })),
    );
    const share = AMPLIFICATION_REQUESTS / loads.length;
    const summaries = await Promise.all(
      loads.map(({ host, index, report }) =>
        loadAndKeep(
          context,
          `(2) host ${index + 1} ${report.routeSlug}`,
          `${host.url}/api/reports/${report.routeSlug}?period=D180`,
          { connections: CONNECTIONS / loads.length, amount: share },
        ),
      ),
    );
    const calls = (await context.simulator.stats()).apiCalls - before;
    const served = summaries.reduce((total, summary) => total + summary.requests, 0);
    const expected = CATALOGUE.length;
    progress(`(2) ${served} requests over ${started.length} hosts: ${calls} Graph call(s)`);
    return {
      rows: [
        {
          id: '2',
          measure: `Graph calls for ${count(AMPLIFICATION_REQUESTS)} requests, c=${CONNECTIONS}, spread over ${expected} reports and 2 hosts sharing one Azurite, caches empty`,
          ours: `${calls} call${calls === 1 ? '' : 's'}`,
          reference: `${expected} calls (one per report)`,
          ratio: calls / expected,
          goal: { at: 'exactly', value: 1 },
        },
      ],
      invariants: [
        {
          name: '(2) exactly one Graph call per report',
          holds: calls === expected && served === AMPLIFICATION_REQUESTS,
          detail: `${calls} Graph calls for ${served} of ${AMPLIFICATION_REQUESTS} requests over ${expected} reports`,
        },
      ],
      details: { amplification: { calls, summaries } },
    };
  } finally {
    await Promise.all(
      hosts.map((host) => (host.status === 'fulfilled' ? host.value.stop() : undefined)),
    );
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** The two hops the host makes for an uncached report, made directly: the floor it stands on. */
async function rawHops(simulator: SimulatorProcess): Promise<void> {
  await simulator.report('D180');
}

/**
 * (3) One uncached request in a warm host, over the same two hops made directly, with every
 * hop 100 ms slow. Each sample moves the tenant's refresh date, so Graph's bytes are new and
 * neither cache holds them: the host has only a stale copy of other bytes (its cache lasts 1 s,
 * and the sample waits that out), so it must ask Graph, follow the redirect, read, parse, store.
 */
async function uncachedOverhead(context: Context): Promise<PhaseResult> {
  const { simulator, plan } = context;
  const host = await startHost('uncached', {
    ...context.settings,
    SNAPSHOT_CONTAINER: freshContainer('uncached'),
    REPORT_CACHE_SECONDS: '1',
    GRAPH_CALL_BUDGET: '0',
  });
  const hostUrl = `${host.url}${REPORT_PATH}`;
  let failures = 0;
  const hostRequest = async () => {
    const before = await simulator.stats();
    const { ms, value: status } = await timed(async () => {
      const response = await fetch(hostUrl);
      await response.arrayBuffer();
      return response.status;
    });
    const after = await simulator.stats();
    if (status !== 200) failures++;
    // A sample counts only if the host really went to Graph: one API call and one download.
    const missed =
      after.apiCalls - before.apiCalls === 1 && after.downloads - before.downloads === 1;
    return { ms, missed, status };
  };
  try {
    await simulator.change({ latencyMs: HOP_LATENCY_MS });
    await hostRequest();
    await rawHops(simulator);
    const samples: { host: number; raw: number; missed: boolean }[] = [];
    for (let index = 0; index < plan.uncachedSamples; index++) {
      await simulator.change({ refreshDate: addDays(simulator.refreshDate, -1 - index) });
      // Past the host's 1-second freshness, so its copy is stale and Graph must be asked.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const sample = { host: 0, raw: 0, missed: false };
      const measureHost = async () => {
        const result = await hostRequest();
        sample.host = result.ms;
        sample.missed = result.missed;
      };
      const measureRaw = async () => {
        sample.raw = (await timed(() => rawHops(simulator))).ms;
      };
      if (index % 2 === 0) {
        await measureRaw();
        await measureHost();
      } else {
        await measureHost();
        await measureRaw();
      }
      samples.push(sample);
      progress(
        `(3) sample ${index + 1}/${plan.uncachedSamples}: host ${sample.host.toFixed(0)} ms, raw hops ${sample.raw.toFixed(0)} ms${sample.missed ? '' : ' (not a Graph fetch: left out)'}`,
      );
    }
    const counted = samples.filter((sample) => sample.missed);
    const overhead = pairedRatio(
      counted.map((sample) => ({ ours: sample.host, reference: sample.raw })),
    );
    return {
      rows: [
        {
          id: '3',
          measure: `Uncached request in a warm host, ${HOP_LATENCY_MS} ms per Graph hop, median of ${counted.length} samples`,
          ours: `${overhead.ours.toFixed(0)} ms through the host`,
          reference: `${overhead.reference.toFixed(0)} ms for the two hops made directly`,
          ratio: overhead.ratio,
          goal: { at: 'most', value: 1.15 },
        },
      ],
      invariants: [
        {
          name: '(3) every uncached request answered 200',
          holds: failures === 0,
          detail: `${failures} of ${plan.uncachedSamples + 1} not 200`,
        },
      ],
      details: { uncached: { samples, overhead } },
    };
  } finally {
    await simulator.change({ latencyMs: 0 }).catch(() => undefined);
    await host.stop();
  }
}

/** (4) A fresh node loading the function entry files, over one loading @azure/functions alone. */
async function coldStart(context: Context): Promise<PhaseResult> {
  const script = distScript('bench', 'coldStart.js');
  const once = async (mode: 'functions' | 'library') => {
    const { ms, value } = await timed(() => runNode(script, [mode]));
    const registered = (JSON.parse(value) as { registered: number }).registered;
    if (mode === 'functions' && registered === 0)
      throw new Error('The function entry files registered nothing.');
    return ms;
  };
  // Once each first, so both read their files from the page cache.
  await once('functions');
  await once('library');
  const pairs = await alternate(
    context.plan.coldPairs,
    () => once('functions'),
    () => once('library'),
  );
  const cold = pairedRatio(pairs);
  progress(
    `(4) ${pairs.length} pairs: functions ${cold.ours.toFixed(0)} ms, @azure/functions alone ${cold.reference.toFixed(0)} ms`,
  );
  return {
    rows: [
      {
        id: '4',
        measure: `Cold start, median of ${pairs.length} alternating pairs of fresh processes`,
        ours: `${cold.ours.toFixed(0)} ms: node loading dist/functions/*.js`,
        reference: `${cold.reference.toFixed(0)} ms: node loading @azure/functions`,
        ratio: cold.ratio,
        goal: { at: 'most', value: 1.5 },
      },
    ],
    invariants: [],
    details: { coldStart: { ...cold, pairs } },
  };
}

function everyRequestSucceeded(context: Context): Invariant {
  const total = context.loads.reduce((sum, { summary }) => sum + summary.requests, 0);
  const failing = context.loads.filter(({ summary }) => failed(summary) > 0);
  return {
    name: `every load request answered 2xx (${count(total)} requests)`,
    holds: failing.length === 0,
    detail: failing
      .map(
        ({ what, summary }) =>
          `${what}: ${summary.non2xx} non-2xx ${JSON.stringify(summary.statuses)}, ${summary.errors} errors, ${summary.timeouts} timeouts`,
      )
      .join('; '),
  };
}

const PHASES = {
  '1': cachedThroughput,
  '2': upstreamAmplification,
  '3': uncachedOverhead,
  '4': coldStart,
} as const;

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv, {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (options.help) {
    console.log(
      'npm run bench [-- --quick] [--out FILE] [--only 1,2,3,4]\n' +
        '  Measures cached throughput, Graph calls per 1,000 requests, uncached overhead, cold start\n' +
        '  and memory as ratios, on loopback. Writes bench/results/latest.json (a full run) or FILE.\n' +
        '  Exits 1 only if an invariant breaks: one Graph call per report in (2), every request 2xx.\n' +
        '  --only runs some measures ((5) comes with (1)) and writes no file unless --out says so.',
    );
    return 0;
  }
  const quick = options.quick === true;
  const plan = quick ? QUICK : FULL;
  const only = options.only?.split(',').map((entry) => entry.trim());
  const phaseList = Object.entries(PHASES).filter(([id]) => !only || only.includes(id));
  if (only && phaseList.length !== only.length)
    throw new Error(`--only takes some of ${Object.keys(PHASES).join(', ')}.`);
  const out =
    options.out ??
    (quick || only ? undefined : join(projectRoot(), 'bench', 'results', 'latest.json'));
  bypassProxyForLoopback();
  const machine = describeMachine();
  const started = Date.now();
  console.log(
    `Benchmark${quick ? ' (quick)' : ''} on ${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}`,
  );

  let azurite: AzuriteProcess | undefined;
  let simulator: SimulatorProcess | undefined;
  const phases: PhaseResult[] = [];
  const context = { plan, loads: [] } as unknown as { -readonly [K in keyof Context]: Context[K] };
  try {
    azurite = await startAzurite();
    simulator = await startSimulator(randomBytes(24).toString('base64url'));
    context.simulator = simulator;
    context.settings = {
      GRAPH_BASE_URL: simulator.baseUrl,
      GRAPH_ACCESS_TOKEN: simulator.token,
      SNAPSHOT_STORAGE: azurite.connectionString,
      AzureWebJobsStorage: azurite.connectionString,
      SNAPSHOT_SCHEDULE: NEVER,
      SNAPSHOT_PERIODS: 'D7',
    };
    for (const [, phase] of phaseList) phases.push(await phase(context));
  } finally {
    await simulator?.stop();
    await azurite?.stop();
  }
  const rows = phases.flatMap((phase) => phase.rows).sort((a, b) => a.id.localeCompare(b.id));
  const results: BenchResults = {
    suite: 'bench',
    generatedAt: new Date().toISOString(),
    quick,
    machine,
    rows,
    invariants: [...phases.flatMap((phase) => phase.invariants), everyRequestSucceeded(context)],
    details: {
      seconds: (Date.now() - started) / 1000,
      plan,
      ...Object.assign({}, ...phases.map((phase) => phase.details)),
      loads: context.loads,
    },
  };
  console.log(`\n${performanceTable(results)}\n`);
  if (out) {
    await writeJson(out, results);
    console.log(`Wrote ${out}; npm run figures puts it in README.md.`);
  }
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return brokenInvariants(results.invariants).length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        `The benchmark failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      process.exit(1);
    },
  );
}
