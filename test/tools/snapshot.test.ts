import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azuriteConnectionString,
  containerClient,
  listBlobs,
  uniqueContainer,
} from '../support/archive';
import { useGraph } from '../support/graphSimulator';
import { runTool } from '../support/processes';

const sim = useGraph('2026-11-26');

let folder: string;
let env: Record<string, string>;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'snapshot-cli-'));
  env = {
    ...sim.settings,
    SNAPSHOT_STORAGE: azuriteConnectionString(),
    SNAPSHOT_CONTAINER: uniqueContainer(),
  };
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const snapshot = () => runTool('snapshot.js', [], { cwd: folder, env });
const blobNames = async (container: string) =>
  (await listBlobs(containerClient(container))).map((blob) => blob.name);

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
      periodsFetched: ['D7', 'D180'],
      blobsWritten: 2,
      skippedIdentical: 0,
      restatementsKept: 0,
      invalid: 0,
      graphCalls: 2,
      reportRefreshDate: '2026-11-26',
    });
    const again = await snapshot();
    expect(again.code).toBe(0);
    expect(onlyJsonLine(again.stdout)).toMatchObject({ blobsWritten: 0, skippedIdentical: 1 });
  });

  it('reads local.settings.json Values, with environment variables winning', async () => {
    const fromFile = uniqueContainer();
    const fromEnv = env.SNAPSHOT_CONTAINER!;
    writeFileSync(
      join(folder, 'local.settings.json'),
      JSON.stringify({
        IsEncrypted: false,
        Values: { SNAPSHOT_CONTAINER: fromFile, SNAPSHOT_PERIODS: 'D30' },
      }),
    );
    const result = await snapshot();
    expect(result.code).toBe(0);
    expect(onlyJsonLine(result.stdout).periodsFetched).toEqual(['D30', 'D180']);
    expect(await blobNames(fromEnv)).toHaveLength(2);
    expect(await containerClient(fromFile).exists()).toBe(false);
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
});
