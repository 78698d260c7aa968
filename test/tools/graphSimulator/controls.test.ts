import { randomUUID } from 'node:crypto';
import { GraphSimulator } from '../../../tools/graphSimulator/server';
import {
  ChaosOptions,
  chaosFaults,
  checkChaos,
  seededRandom,
} from '../../../tools/graphSimulator/chaos';
import { CATALOGUE } from '../../../shared/reports/catalogue';
import { parseReportCsv } from '../../../shared/reports/csv';
import { ReportDefinition, reportPath } from '../../../shared/reports/definitions';

/**
 * What benchmarks and load runs drive the simulator with: a fixed latency per hop, chaos mode at
 * seeded rates, and counters read over HTTP from another process.
 */
const REPORT = "/reports/getSkypeForBusinessPeerToPeerActivityMinuteCounts(period='D7')";

async function withSimulator<T>(
  run: (simulator: GraphSimulator, token: string) => Promise<T>,
  options: Partial<Parameters<typeof GraphSimulator.start>[0]> = {},
): Promise<T> {
  const token = `token-${randomUUID()}`;
  const simulator = await GraphSimulator.start({ token, refreshDate: '2026-11-26', ...options });
  try {
    return await run(simulator, token);
  } finally {
    await simulator.close();
  }
}

function control(simulator: GraphSimulator, path: string, init?: RequestInit) {
  return fetch(`${new URL(simulator.baseUrl).origin}/_simulator/${path}`, init);
}

/** The API hop alone: its status, and where it redirects. */
async function apiHop(simulator: GraphSimulator, token: string) {
  const response = await fetch(`${simulator.baseUrl}${REPORT}`, {
    headers: { Authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') };
}

describe('chaos mode', () => {
  const options: ChaosOptions = { seed: 42, throttle: 0.1, serverError: 0.05, slow: 0.05 };
  const draws = (chaos: ChaosOptions, count: number) => {
    const next = chaosFaults(chaos);
    return Array.from({ length: count }, () => next());
  };

  it('draws the same faults in the same order from the same seed, and others from another', () => {
    expect(draws(options, 500)).toEqual(draws(options, 500));
    expect(draws({ ...options, seed: 43 }, 500)).not.toEqual(draws(options, 500));
  });

  it('injects each fault at its rate, and only 429s carry Retry-After', () => {
    const faults = draws(options, 20_000);
    const share = (kind: string) => faults.filter((fault) => fault?.kind === kind).length / 20_000;
    expect(share('throttle')).toBeCloseTo(0.1, 1);
    expect(share('serverError')).toBeCloseTo(0.05, 1);
    expect(share('slow')).toBeCloseTo(0.05, 1);
    for (const drawn of faults) {
      if (drawn?.kind === 'throttle')
        expect(drawn.fault).toMatchObject({ status: 429, retryAfter: '1' });
      if (drawn?.kind === 'serverError')
        expect([500, 502, 503, 504]).toContain((drawn.fault as { status: number }).status);
      if (drawn?.kind === 'slow') expect(drawn.fault).toEqual({ kind: 'slow', delayMs: 2000 });
    }
  });

  it('spreads the seeded generator over [0, 1)', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it.each<[string, ChaosOptions]>([
    ['a negative seed', { seed: -1 }],
    ['a fractional seed', { seed: 1.5 }],
    ['a probability above 1', { seed: 1, throttle: 1.5 }],
    ['a negative probability', { seed: 1, slow: -0.1 }],
    ['probabilities adding up past 1', { seed: 1, throttle: 0.6, serverError: 0.6 }],
    ['a negative slowMs', { seed: 1, slow: 0.1, slowMs: -5 }],
    ['a fractional Retry-After', { seed: 1, throttle: 0.1, retryAfterSeconds: 0.5 }],
  ])('refuses %s', (_, chaos) => {
    expect(() => checkChaos(chaos)).toThrow(/chaos/);
  });
});

describe('the simulator driven over HTTP', () => {
  it('counts report API and download requests in GET /_simulator/stats', async () => {
    await withSimulator(async (simulator, token) => {
      const hop = await apiHop(simulator, token);
      expect(hop.status).toBe(302);
      await (await fetch(hop.location!)).arrayBuffer();
      await apiHop(simulator, 'wrong-token');
      const stats = await (await control(simulator, 'stats')).json();
      expect(stats).toEqual({
        apiCalls: 2,
        downloads: 1,
        chaos: { throttle: 0, serverError: 0, slow: 0 },
      });
    });
  });

  it('adds the fixed latency to each hop, the API and the download', async () => {
    await withSimulator(
      async (simulator, token) => {
        let started = Date.now();
        const hop = await apiHop(simulator, token);
        expect(Date.now() - started).toBeGreaterThanOrEqual(145);
        started = Date.now();
        await (await fetch(hop.location!)).arrayBuffer();
        expect(Date.now() - started).toBeGreaterThanOrEqual(145);
        // The control routes are not Graph: no latency there.
        started = Date.now();
        await (await control(simulator, 'stats')).json();
        expect(Date.now() - started).toBeLessThan(145);
      },
      { latencyMs: 150 },
    );
  });

  it('switches chaos mode on with PUT /_simulator/state, reproducibly, and off with null', async () => {
    const statuses = () =>
      withSimulator(async (simulator, token) => {
        const changed = await control(simulator, 'state', {
          method: 'PUT',
          body: JSON.stringify({ chaos: { seed: 9, throttle: 0.3, serverError: 0.3 } }),
        });
        expect(changed.status).toBe(200);
        const seen: number[] = [];
        for (let i = 0; i < 30; i++) seen.push((await apiHop(simulator, token)).status);
        const stats = (await (await control(simulator, 'stats')).json()) as {
          chaos: { throttle: number; serverError: number };
        };
        expect(seen.filter((status) => status === 429)).toHaveLength(stats.chaos.throttle);
        expect(seen.filter((status) => status >= 500)).toHaveLength(stats.chaos.serverError);
        await control(simulator, 'state', { method: 'PUT', body: '{"chaos":null}' });
        for (let i = 0; i < 10; i++) expect((await apiHop(simulator, token)).status).toBe(302);
        return seen;
      });
    const first = await statuses();
    for (const status of first) expect([302, 429, 500, 502, 503, 504]).toContain(status);
    expect(first.filter((status) => status !== 302).length).toBeGreaterThan(5);
    expect(await statuses()).toEqual(first);
  });

  it('queues faults sent to POST /_simulator/faults ahead of chaos mode, and drops them on DELETE', async () => {
    await withSimulator(
      async (simulator, token) => {
        const queued = await control(simulator, 'faults', {
          method: 'POST',
          body: JSON.stringify([{ fault: { kind: 'status', status: 418 }, times: 2 }]),
        });
        expect(await queued.json()).toEqual({ queued: 1 });
        expect((await apiHop(simulator, token)).status).toBe(418);
        expect((await apiHop(simulator, token)).status).toBe(418);
        expect((await apiHop(simulator, token)).status).toBe(429);
        await control(simulator, 'faults', {
          method: 'POST',
          body: JSON.stringify({ fault: { kind: 'status', status: 418 }, times: 5 }),
        });
        expect(await (await control(simulator, 'faults', { method: 'DELETE' })).json()).toEqual({
          queued: 0,
        });
        expect((await apiHop(simulator, token)).status).toBe(429);
      },
      { chaos: { seed: 1, throttle: 1 } },
    );
  });

  it.each([
    ['a bad refresh date', { refreshDate: 'tomorrow', latencyMs: 10 }],
    ['an impossible refresh date (defect 12) [bad-input]', { refreshDate: '2026-13-45' }],
    ['February 30th (defect 12) [bad-input]', { refreshDate: '2026-02-30' }],
    ['a negative latency', { latencyMs: -1, refreshDate: '2026-01-01' }],
    ['impossible chaos', { chaos: { seed: 1, throttle: 2 }, latencyMs: 10 }],
  ])('refuses %s with 400 and changes nothing', async (_, change) => {
    await withSimulator(async (simulator) => {
      const refused = await control(simulator, 'state', {
        method: 'PUT',
        body: JSON.stringify(change),
      });
      expect(refused.status).toBe(400);
      expect(await (await control(simulator, 'state')).json()).toEqual({
        refreshDate: '2026-11-26',
        apiCalls: 0,
        latencyMs: 0,
        chaos: null,
        silent: [],
      });
    });
  });

  it('refuses a fault without a kind, and answers 404 to an unknown control route', async () => {
    await withSimulator(async (simulator) => {
      const refused = await control(simulator, 'faults', {
        method: 'POST',
        body: '[{"on":"api"}]',
      });
      expect(refused.status).toBe(400);
      expect((await control(simulator, 'nothing')).status).toBe(404);
    });
  });
});

describe('every catalogued report, with faults per report and silent reports', () => {
  const get = (simulator: GraphSimulator, token: string, definition: ReportDefinition) =>
    fetch(`${simulator.baseUrl}${reportPath(definition, 'D7')}`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  it.each(CATALOGUE.map((definition) => [definition.routeSlug, definition] as const))(
    'serves %s with a BOM and its own headers',
    (_, definition) =>
      withSimulator(async (simulator, token) => {
        const response = await get(simulator, token, definition);
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
          definition.columns.map((column) => column.header).join(','),
        );
      }),
  );

  it('aims a fault at one report, over HTTP, and leaves the others alone', () =>
    withSimulator(async (simulator, token) => {
      const first = CATALOGUE[0]!;
      const second = CATALOGUE[1]!;
      const queued = await control(simulator, 'faults', {
        method: 'POST',
        body: JSON.stringify({
          fault: { kind: 'status', status: 403 },
          report: second.routeSlug,
          times: 2,
        }),
      });
      expect(queued.status).toBe(200);
      expect((await get(simulator, token, first)).status).toBe(200);
      expect((await get(simulator, token, second)).status).toBe(403);
      // A fault without `report` applies to whichever is asked, as before.
      simulator.inject({ fault: { kind: 'status', status: 500 } });
      expect((await get(simulator, token, first)).status).toBe(500);
      expect((await get(simulator, token, second)).status).toBe(403);
      expect((await get(simulator, token, second)).status).toBe(200);
    }));

  it('serves a silent report all zero, set over HTTP, and refuses an unknown slug', () =>
    withSimulator(async (simulator, token) => {
      const teams = CATALOGUE.find((d) => d.routeSlug === 'teams-user-activity-counts')!;
      const set = await control(simulator, 'state', {
        method: 'PUT',
        body: JSON.stringify({ silent: ['teams-user-activity-counts'] }),
      });
      expect(((await set.json()) as { silent: string[] }).silent).toEqual([teams.routeSlug]);
      const bytes = Buffer.from(await (await get(simulator, token, teams)).arrayBuffer());
      const { rows } = parseReportCsv(teams, bytes, 'D7');
      expect(rows).toHaveLength(7);
      for (const row of rows)
        expect(row).toMatchObject({ calls: 0, audioDuration: 'PT0S', audioDurationInSeconds: 0 });
      const refused = await control(simulator, 'state', {
        method: 'PUT',
        body: JSON.stringify({ silent: ['teams-usage'] }),
      });
      expect(refused.status).toBe(400);
      expect(simulator.silent).toEqual(new Set([teams.routeSlug]));
    }));
});
