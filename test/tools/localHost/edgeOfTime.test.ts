import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../tools/freePort';
import { azuriteConnectionString, uniqueContainer } from '../../support/azurite';
import { useGraph } from '../../support/graphSimulator';
import { RunningTool, startTool } from '../../support/processes';

/**
 * Dates at the edge of time against a host process, as a caller would send them. Each request
 * has a deadline, so a day loop that never ends fails these tests instead of hanging jest; and
 * the host must still answer afterwards (one such request once stopped the whole process).
 */
const sim = useGraph('2026-11-26');
const REPORT = '/api/reports/skype-p2p-minute-counts';
const ANSWER_WITHIN_MS = 5_000;

let folder: string;
let host: RunningTool;
let base: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'edge-of-time-'));
  const port = await freePort();
  host = startTool('localHost/start.js', ['--port', String(port), '--no-settings-file'], {
    cwd: folder,
    env: {
      ...sim.settings,
      SNAPSHOT_STORAGE: azuriteConnectionString(),
      SNAPSHOT_CONTAINER: uniqueContainer(),
      SNAPSHOT_SCHEDULE: '0 0 6 1 1 *',
    },
  });
  await host.waitFor(/Local host listening/);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await host.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function get(path: string) {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

describe('defect 1: a date past the range is a 400, and the host keeps answering', () => {
  it.each([
    ['history?from=9999-12-31', 'from'],
    ['history?from=9999-12-31&to=9999-12-31', 'from'],
    ['history?to=9999-12-31', 'to'],
    ['history?from=9999-12-31&format=csv', 'from'],
    ['history?from=0001-01-01&to=2026-01-01', 'from'],
    ['history?from=+010000-01-01', 'from'],
    ['chart?from=9999-12-31', 'from'],
    ['chart?from=9999-12-31&to=9999-12-31', 'from'],
    ['chart?to=9999-12-31', 'to'],
  ])(
    'GET .../%s answers 400 naming %s within the deadline [bad-input]',
    async (path, parameter) => {
      const answer = await get(`${REPORT}/${path}`);
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ parameter });
      // The same process still serves everything else.
      expect((await get('/api/openapi.json')).status).toBe(200);
    },
  );

  it('walks to the last date of the range in one answer [bad-input]', async () => {
    const answer = await get(`${REPORT}/history?from=9999-12-25&to=9999-12-30`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      from: '9999-12-25',
      to: '9999-12-30',
      missingDates: [
        '9999-12-25',
        '9999-12-26',
        '9999-12-27',
        '9999-12-28',
        '9999-12-29',
        '9999-12-30',
      ],
    });
  });
});
