import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedingRunSummary, snapshotNamesIn } from '../support/archive';
import { azuriteSettings, containerClient, containerOf } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { createHash } from 'node:crypto';
import { snapshotBlobName } from '../../shared/archive/blobNames';
import { historyIndexBlobName } from '../../shared/archive/historyIndex';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { CATALOGUE } from '../../shared/reports/catalogue';
import { runTool } from '../support/processes';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

const sim = useGraph('2026-11-26');
const FIRST = skypeP2pMinuteCounts.routeSlug;

let folder: string;
let env: Record<string, string> & ReturnType<typeof azuriteSettings>;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'snapshot-cli-'));
  // The first report alone: the command as it was before the catalogue (see 'every report').
  env = { ...sim.settings, ...azuriteSettings(), REPORTS: FIRST };
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const snapshot = (args: string[] = []) => runTool('snapshot.js', args, { cwd: folder, env });

function writeLocalSettings(values: Record<string, string>) {
  writeFileSync(
    join(folder, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: values }),
  );
}

function onlyJsonLine(stdout: string) {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('npm run snapshot', () => {
  it('runs the job once and prints one JSON line with its counts, exit 0', async () => {
    const result = await snapshot();
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout)).toEqual({
      report: FIRST,
      ...seedingRunSummary('2026-11-26'),
    });
    const again = await snapshot();
    expect(again.code).toBe(0);
    expect(onlyJsonLine(again.stdout)).toMatchObject({ blobsWritten: 0, skippedIdentical: 1 });
  });

  it('reads local.settings.json Values, with environment variables winning', async () => {
    const fromFile = azuriteSettings();
    writeLocalSettings({
      SNAPSHOT_CONTAINER: fromFile.SNAPSHOT_CONTAINER,
      SNAPSHOT_PERIODS: 'D30',
    });
    const result = await snapshot();
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout).periodsFetched).toEqual(['D30', 'D180']);
    expect(await snapshotNamesIn(containerOf(env))).toHaveLength(2);
    expect(await containerOf(fromFile).exists()).toBe(false);
  });

  it('exits 1 before contacting anything when a setting is bad, naming it', async () => {
    env.SNAPSHOT_CONTAINER = 'Not_A_Container';
    const result = await snapshot();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SNAPSHOT_CONTAINER');
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      error: expect.stringContaining('SNAPSHOT_CONTAINER'),
      setting: 'SNAPSHOT_CONTAINER',
      graphCalls: 0,
    });
    expect(sim.graph.requests).toHaveLength(0);
  });

  it.each([
    ['a misspelt option', ['--perod', 'D7'], "Unknown option '--perod'"],
    [
      'a stray argument',
      ['D7'],
      "Unexpected argument 'D7'. This command does not take positional arguments",
    ],
  ])('refuses %s: exit 1, says why, runs nothing', async (_case, args, message) => {
    const result = await runTool('snapshot.js', args, { cwd: folder, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${message} (options: --report, --rebuild-index, --settings, --help)\n`,
    );
    // No job ran, so there is no summary line.
    expect(result.stdout).toBe('');
    expect(sim.graph.requests).toHaveLength(0);
    expect(await containerClient(env.SNAPSHOT_CONTAINER!).exists()).toBe(false);
  });

  it('exits 1 on an unreadable local.settings.json', async () => {
    writeFileSync(join(folder, 'local.settings.json'), '{ not json');
    const result = await snapshot();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('local.settings.json');
    expect(sim.graph.requests).toHaveLength(0);
  });

  it('exits 1 when a report is invalid, though it stored it', async () => {
    sim.graph.inject({
      fault: {
        kind: 'csv',
        body: 'Report Refresh Date,Report Date,Report Period,Audio\r\n2026-11-26,2026-11-26,7,5\r\n',
      },
    });
    const result = await snapshot();
    expect(result.code).toBe(1);
    expect(onlyJsonLine(result.stdout)).toMatchObject({ invalid: 1, blobsWritten: 2 });
  });

  it('exits 1 when Graph fails, reporting the error and the calls made', async () => {
    env.GRAPH_MAX_ATTEMPTS = '2';
    sim.graph.inject({ fault: { kind: 'status', status: 503 }, times: 2 });
    const result = await snapshot();
    expect(result.code).toBe(1);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      graphCalls: 2,
      blobsWritten: 0,
      error: expect.stringContaining('503'),
    });
  });

  it('exits 1 when the backfill fetch fails, reporting what the run had done', async () => {
    env.GRAPH_MAX_ATTEMPTS = '2';
    sim.graph.inject(
      { fault: { kind: 'slow', delayMs: 0 } },
      { fault: { kind: 'status', status: 503 }, times: 2 },
    );
    const result = await snapshot();
    expect(result.code).toBe(1);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      periodsFetched: ['D7'],
      graphCalls: 3,
      reportRefreshDate: '2026-11-26',
      error: expect.stringContaining('503'),
    });
  });

  it('exits 1 when storage is unreachable, naming the setting and how to start Azurite', async () => {
    env.SNAPSHOT_STORAGE = unreachable.connectionString();
    env.STORAGE_MAX_TRIES = '1';
    const result = await snapshot();
    expect(result.code).toBe(1);
    const { error } = onlyJsonLine(result.stdout);
    expect(error).toContain('SNAPSHOT_STORAGE');
    expect(error).toContain('npx azurite-blob --disableTelemetry --skipApiVersionCheck');
    expect(sim.graph.requests).toHaveLength(0);
  });
});

describe('npm run snapshot -- --rebuild-index', () => {
  const indexName = historyIndexBlobName(skypeP2pMinuteCounts);
  const storedIndex = () =>
    containerOf(env).getBlobClient(indexName).downloadToBuffer().then(String);

  it('rebuilds the index from the snapshots, without Graph, and prints one JSON line', async () => {
    expect((await snapshot()).code).toBe(0);
    const kept = await storedIndex();
    await containerOf(env).getBlockBlobClient(indexName).upload('corrupt', 7);
    const calls = sim.graph.apiCalls;

    const result = await snapshot(['--rebuild-index']);
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout)).toEqual({
      report: FIRST,
      rebuilt: 'asked to rebuild',
      merged: 2,
      snapshots: 2,
      reportDates: 180,
      coverage: { first: '2026-05-31', last: '2026-11-26' },
      newestRefreshDate: '2026-11-26',
      written: true,
      unusable: {},
    });
    expect(await storedIndex()).toBe(kept);
    expect(sim.graph.apiCalls).toBe(calls);
  });

  it('indexes snapshots whose metadata was stripped from their content, and says so (defect 8) [bad-input]', async () => {
    expect((await snapshot()).code).toBe(0);
    const container = containerOf(env);
    for (const name of await snapshotNamesIn(container)) {
      await container.getBlobClient(name).setMetadata({});
    }
    const result = await snapshot(['--rebuild-index']);
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      snapshots: 2,
      reportDates: 180,
      newestRefreshDate: '2026-11-26',
      unusable: {},
    });
    expect(result.stderr).toMatch(/has no metadata; indexed from its content/);
  });

  it('drops a future-dated snapshot an earlier version archived, and counts it (defect 2) [graph-fault]', async () => {
    expect((await snapshot()).code).toBe(0);
    const container = containerOf(env);
    const bytes = Buffer.from(
      'Report Refresh Date,Report Date,Report Period,Audio,Video\r\n2030-06-01,2030-06-01,7,1,1\r\n',
    );
    const sha = createHash('sha256').update(bytes).digest('hex');
    const name = snapshotBlobName(skypeP2pMinuteCounts, 'D7', 'original', '2030-06-01', sha);
    await container.getBlockBlobClient(name).upload(bytes, bytes.length, {
      metadata: { valid: 'true', sha256: sha, fetchedat: '2026-11-27T06:00:00.000Z' },
    });
    const result = await snapshot(['--rebuild-index']);
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      snapshots: 2,
      newestRefreshDate: '2026-11-26',
      coverage: { last: '2026-11-26' },
      unusable: { 'does-not-parse': 1 },
    });
    expect(result.stderr).toContain('refresh-date-not-future');
  });

  it('needs only the storage settings, and builds an empty index for an empty archive', async () => {
    env = { ...azuriteSettings(), REPORTS: FIRST };
    const result = await snapshot(['--rebuild-index']);
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      snapshots: 0,
      coverage: null,
      written: true,
    });
  });

  it.each([
    [['--rebuild-indx'], 'rebuild-indx'],
    [['--rebuild-index', 'now'], 'now'],
  ])(
    'exits 1 on %p, an unknown option or a stray argument, before contacting anything',
    async (args, named) => {
      const result = await snapshot(args);
      expect(result.code).toBe(1);
      // A bad command line runs no job: the reason on stderr, no summary line.
      expect(result.stderr).toContain(named);
      expect(result.stdout).toBe('');
      expect(sim.graph.requests).toHaveLength(0);
      expect(await containerOf(env).exists()).toBe(false);
    },
  );

  it('exits 1 when storage is unreachable, naming the setting', async () => {
    env.SNAPSHOT_STORAGE = unreachable.connectionString();
    env.STORAGE_MAX_TRIES = '1';
    const result = await snapshot(['--rebuild-index']);
    expect(result.code).toBe(1);
    expect(onlyJsonLine(result.stdout).error).toContain('SNAPSHOT_STORAGE');
  });
});

describe('npm run snapshot over the catalogue', () => {
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('runs every enabled report (REPORTS unset: all), one JSON line each, at most one report call each in steady state', async () => {
    delete env.REPORTS;
    const first = await snapshot();
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual(
      CATALOGUE.map((definition) => ({
        report: definition.routeSlug,
        ...seedingRunSummary('2026-11-26'),
      })),
    );
    const names = await snapshotNamesIn(containerOf(env));
    for (const definition of CATALOGUE)
      expect(names).toContain(`${definition.blobPrefix}/D7/2026-11-26.csv`);

    // Steady state: the archive covers Graph's 180 days, so each report asks for its D7 only.
    const calls = sim.graph.apiCalls;
    const again = await snapshot();
    expect(again.code).toBe(0);
    for (const line of lines(again.stdout))
      expect(line).toMatchObject({ graphCalls: 1, blobsWritten: 0 });
    expect(sim.graph.apiCalls - calls).toBeLessThanOrEqual(CATALOGUE.length);
  });

  it('runs one report with --report, and --rebuild-index for it alone', async () => {
    delete env.REPORTS;
    const result = await snapshot(['--report', 'teams-user-activity-counts']);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      { report: 'teams-user-activity-counts', ...seedingRunSummary('2026-11-26') },
    ]);
    const rebuilt = await snapshot(['--rebuild-index', '--report', 'teams-user-activity-counts']);
    expect(lines(rebuilt.stdout)).toEqual([
      expect.objectContaining({ report: 'teams-user-activity-counts', reportDates: 180 }),
    ]);
    const all = await snapshot(['--rebuild-index']);
    expect(all.code).toBe(0);
    expect(lines(all.stdout).map((line) => line.report)).toEqual(
      CATALOGUE.map((definition) => definition.routeSlug),
    );
  });

  it('keeps going past a failed report, and exits 1 naming it', async () => {
    env.REPORTS = 'skype-p2p-activity-counts,teams-user-activity-counts';
    sim.graph.inject({
      fault: { kind: 'status', status: 403 },
      report: 'skype-p2p-activity-counts',
      times: 10,
    });
    const result = await snapshot();
    expect(result.code).toBe(1);
    const [failed, ok] = lines(result.stdout);
    expect(failed).toMatchObject({
      report: 'skype-p2p-activity-counts',
      error: expect.stringContaining('403'),
    });
    expect(ok).toEqual({
      report: 'teams-user-activity-counts',
      ...seedingRunSummary('2026-11-26'),
    });
  });

  it.each([
    ['an unknown REPORTS slug', { REPORTS: 'skype-p2p-minute-counts,nope' }, [], '"nope"'],
    [
      'a --report not enabled',
      { REPORTS: FIRST },
      ['--report', 'teams-user-activity-counts'],
      'teams-user-activity-counts',
    ],
  ])('exits 1 on %s, naming it, before contacting anything', async (_, settings, args, named) => {
    Object.assign(env, settings);
    const result = await snapshot(args);
    expect(result.code).toBe(1);
    expect(onlyJsonLine(result.stdout)).toMatchObject({
      setting: 'REPORTS',
      error: expect.stringContaining(named),
    });
    expect(sim.graph.requests).toHaveLength(0);
  });
});
