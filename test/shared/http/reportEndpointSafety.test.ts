import { skypeP2pMinuteCountsHandler } from '../../support/skypeP2pHandlers';
import { MAX_LINE_CHARS, MAX_QUOTED_CHARS } from '../../../shared/common/logSafe';
import { getRequest } from '../../support/functions';
import { useGraph } from '../../support/graphSimulator';
import { useSettings } from '../../support/settings';
import { testContext } from '../../support/logs';

/**
 * What the endpoint writes to its log and answers, when the request or Graph sends hostile
 * values: through the real function handler, with the invocation's log lines captured.
 */
const sim = useGraph('2026-11-26');
useSettings(() => sim.settings);

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';
/** A raw control character, as a log line must never carry one. */
const RAW_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const HEADER = 'Report Refresh Date,Report Date,Report Period,Audio,Video';

async function call(query: string, headers: Record<string, string> = {}) {
  const { context, logs } = testContext('skypeP2pMinuteCounts');
  const response = await skypeP2pMinuteCountsHandler(
    getRequest(`${ROUTE}${query}`, headers),
    context,
  );
  const body = typeof response.body === 'string' ? response.body : '';
  return {
    status: response.status ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    body,
    logged: logs.map((line) => line.message),
  };
}

function expectCleanLog(logged: string[]) {
  expect(logged.length).toBeGreaterThan(0);
  for (const line of logged) {
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 20);
  }
}

describe('the endpoint logs request values escaped and cut', () => {
  it.each(['period', 'format'])(
    'shows CR, LF and NUL in a bad %s as escapes, in the log and in the problem',
    async (parameter) => {
      const result = await call(`?${parameter}=%0d%0aHost:%20forged%00`);
      expect(result.status).toBe(400);
      expectCleanLog(result.logged);
      expect(result.logged.join('\n')).toContain('(got "\\r\\nHost: forged\\u0000")');
      const problem = JSON.parse(result.body) as { detail: string; parameter: string };
      expect(problem.parameter).toBe(parameter);
      expect(problem.detail).toContain('(got "\\r\\nHost: forged\\u0000")');
      expect(sim.graph.requests).toHaveLength(0);
    },
  );

  it.each(['period', 'format'])(
    'quotes at most MAX_QUOTED_CHARS characters of a 10,000-character %s',
    async (parameter) => {
      const result = await call(`?${parameter}=${'A'.repeat(10_000)}`);
      expect(result.status).toBe(400);
      expectCleanLog(result.logged);
      const cut = `"${'A'.repeat(MAX_QUOTED_CHARS)}"…[+${10_000 - MAX_QUOTED_CHARS} chars]`;
      const { detail } = JSON.parse(result.body) as { detail: string };
      expect(detail).toContain(cut);
      expect(detail).not.toContain('A'.repeat(MAX_QUOTED_CHARS + 1));
      expect(result.logged.join('\n')).toContain(cut);
      expect(result.logged.join('\n')).not.toContain('A'.repeat(MAX_QUOTED_CHARS + 1));
    },
  );
});

describe('the endpoint logs Graph values escaped', () => {
  it('warns of an unknown column with a CR/LF in its name escaped', async () => {
    sim.graph.inject({
      fault: {
        kind: 'csv',
        body: `${HEADER},"Extra\r\nforged: yes\u0000"\r\n2026-11-26,2026-11-26,7,5,1,x\r\n`,
      },
    });
    const result = await call('?period=D7');
    expect(result.status).toBe(200);
    expectCleanLog(result.logged);
    expect(result.logged).toContainEqual(
      expect.stringContaining('"Extra\\r\\nforged: yes\\u0000"'),
    );
  });

  it('answers and logs header drift naming the columns Graph sent, escaped', async () => {
    sim.graph.inject({
      fault: {
        kind: 'csv',
        body: `Report Refresh Date,Report Date,Report Period,"Au\u001b[2Jdio",Video\r\n2026-11-26,2026-11-26,7,5,1\r\n`,
      },
    });
    const result = await call('?period=D7');
    expect(result.status).toBe(502);
    expectCleanLog(result.logged);
    const { detail } = JSON.parse(result.body) as { detail: string };
    expect(detail).not.toMatch(RAW_CONTROL);
    expect(detail).toContain('"Au\\u001b[2Jdio"');
    expect(result.logged.join('\n')).toContain('"Au\\u001b[2Jdio"');
  });
});

describe('every answer of the endpoint carries X-Content-Type-Options: nosniff', () => {
  it.each([
    ['200 JSON', '?period=D7', {}, 200],
    ['200 CSV', '?format=csv', {}, 200],
    ['400 problem', '?period=D1', {}, 400],
  ])('%s', async (_case, query, headers, status) => {
    const result = await call(query, headers);
    expect(result.status).toBe(status);
    expect(result.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('304', async () => {
    const first = await call('?period=D7');
    const revalidated = await call('?period=D7', { 'If-None-Match': first.headers.ETag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('500 configuration problem', async () => {
    delete process.env.GRAPH_ACCESS_TOKEN;
    const result = await call('?period=D7');
    expect(result.status).toBe(500);
    expect(result.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('503 throttling problem', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 5 });
    const result = await call('?period=D7');
    expect(result.status).toBe(503);
    expect(result.headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
