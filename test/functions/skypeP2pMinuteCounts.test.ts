import { HttpResponseInit } from '@azure/functions';
import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { LogLine, testContext } from '../support/logs';

const sim = useGraph('2026-11-26');

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';

useSettings(() => sim.settings);

/** Overrides settings for the rest of one test; undefined removes a setting. */
function configure(settings: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

async function call(query = '', headers: Record<string, string> = {}) {
  const { context, logs } = testContext('skypeP2pMinuteCounts');
  const started = Date.now();
  const response: HttpResponseInit = await skypeP2pMinuteCountsHandler(
    getRequest(`${ROUTE}${query}`, headers),
    context,
  );
  const elapsedMs = Date.now() - started;
  const responseHeaders = (response.headers ?? {}) as Record<string, string>;
  const text = typeof response.body === 'string' ? response.body : '';
  return { status: response.status ?? 200, headers: responseHeaders, text, logs, elapsedMs };
}

function json(text: string) {
  return JSON.parse(text) as Record<string, unknown> & {
    value: Record<string, unknown>[];
    warnings: string[];
  };
}

function expectProblem(result: Awaited<ReturnType<typeof call>>, status: number) {
  expect(result.status).toBe(status);
  expect(result.headers['Content-Type']).toBe('application/problem+json');
  const problem = json(result.text);
  expect(problem).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  // Never a token, a pre-authenticated download URL or a stack trace.
  expect(result.text).not.toContain(sim.token);
  expect(result.text).not.toContain(sim.graph.downloadOrigin);
  expect(result.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return problem as unknown as { detail: string; [key: string]: unknown };
}

describe('GET /api/reports/skype-p2p-minute-counts', () => {
  it("answers the D7 report as JSON with Graph's keys, sorted by report date", async () => {
    const result = await call();
    expect(result.status).toBe(200);
    expect(result.headers['Content-Type']).toBe('application/json; charset=utf-8');
    const body = json(result.text);
    expect(body).toMatchObject({
      report: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
      period: 'D7',
      reportRefreshDate: '2026-11-26',
      warnings: [],
    });
    expect(new Date(body.fetchedAt as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(body.value).toHaveLength(7);
    expect(body.value.map((row) => row.reportDate)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    for (const row of body.value) {
      expect(Object.keys(row)).toEqual([
        'reportRefreshDate',
        'reportDate',
        'reportPeriod',
        'audio',
        'video',
      ]);
      expect(row).toMatchObject({ reportRefreshDate: '2026-11-26', reportPeriod: '7' });
      expect(Number.isInteger(row.audio)).toBe(true);
      expect(Number.isInteger(row.video)).toBe(true);
    }
  });

  it('accepts the period in any case, answers it canonically, and ignores unknown parameters such as code', async () => {
    const result = await call('?period=d30&code=function-key&extra=1');
    expect(result.status).toBe(200);
    const body = json(result.text);
    expect(body.period).toBe('D30');
    expect(body.value).toHaveLength(30);
    expect(body.value[0]).toMatchObject({ reportPeriod: '30', reportDate: '2026-10-28' });
  });

  it.each(['D1', 'D365', '', '7', 'D7;drop'])(
    'rejects period=%p with 400 problem+json [bad-input]',
    async (period) => {
      const problem = expectProblem(await call(`?period=${encodeURIComponent(period)}`), 400);
      expect(problem.parameter).toBe('period');
      expect(problem.detail).toContain('D7, D30, D90, D180');
      expect(sim.graph.apiCalls).toBe(0);
    },
  );

  it.each([
    ['period=D7&period=bogus', 'period'],
    ['period=D30&period=D30', 'period'],
    ['format=json&format=csv', 'format'],
    ['period=D7&format=csv&format=csv', 'format'],
  ])(
    'rejects the repeated parameter in %s with 400 naming it [bad-input]',
    async (query, parameter) => {
      const problem = expectProblem(await call(`?${query}`), 400);
      expect(problem.parameter).toBe(parameter);
      expect(problem.detail).toBe(
        `${parameter} must be given at most once (the request has it 2 times).`,
      );
      expect(sim.graph.apiCalls).toBe(0);
    },
  );

  it('rejects an unknown format with 400 [bad-input]', async () => {
    const problem = expectProblem(await call('?format=xml'), 400);
    expect(problem.parameter).toBe('format');
  });

  it("answers ?format=csv with Graph's five column headers, no BOM, rows in date order", async () => {
    const result = await call('?period=D7&format=csv');
    expect(result.status).toBe(200);
    expect(result.headers['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
    const lines = result.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Report Refresh Date,Report Date,Report Period,Audio,Video');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^2026-11-26,2026-11-20,7,\d+,\d+$/);
    const jsonRows = json((await call('?period=D7')).text).value;
    expect(lines.slice(1)).toEqual(jsonRows.map((row) => Object.values(row).join(',')));
  });

  it('sends an ETag derived from the content, and answers 304 to If-None-Match with it', async () => {
    const first = await call('?period=D7');
    const etag = first.headers.ETag!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['Cache-Control']).toMatch(/max-age=\d+/);

    const again = await call('?period=D7');
    expect(again.headers.ETag).toBe(etag);
    expect(json(again.text).fetchedAt).not.toBe(undefined);

    const revalidated = await call('?period=D7', { 'If-None-Match': `W/"other", ${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.ETag).toBe(etag);
    expect(revalidated.text).toBe('');

    const csv = await call('?period=D7&format=csv');
    const d30 = await call('?period=D30');
    expect(new Set([etag, csv.headers.ETag, d30.headers.ETag]).size).toBe(3);
    expect((await call('?period=D7', { 'If-None-Match': '"stale"' })).status).toBe(200);
  });

  it('changes the ETag when Graph restates the data', async () => {
    const before = (await call('?period=D7')).headers.ETag;
    sim.graph.refreshDate = '2026-11-27';
    const after = await call('?period=D7');
    expect(json(after.text).reportRefreshDate).toBe('2026-11-27');
    expect(after.headers.ETag).not.toBe(before);
  });

  it('follows the redirect itself and never sends the bearer token to the download host', async () => {
    await call('?period=D90');
    const api = sim.graph.requests.filter((request) => request.server === 'api');
    const downloads = sim.graph.requests.filter((request) => request.server === 'download');
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((request) => request.authorization === `Bearer ${sim.token}`)).toBe(true);
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((request) => request.authorization === undefined)).toBe(true);
  });

  it('revalidates with Graph using If-None-Match and reuses the kept CSV on 304', async () => {
    const first = await call('?period=D180');
    sim.graph.reset();
    const second = await call('?period=D180');
    expect(second.status).toBe(200);
    expect(json(second.text).value).toEqual(json(first.text).value);
    expect(sim.graph.requests).toHaveLength(1);
    expect(sim.graph.requests[0]!.ifNoneMatch).toMatch(/^".+"$/);
    expect(second.logs.some((line) => / -> 304 in \d+ ms/.test(line.message))).toBe(true);
  });

  it('logs one line per upstream call with its status and duration, naming only the download host', async () => {
    sim.graph.csvTransform = (csv) => csv; // a fresh body, so the download happens
    sim.graph.refreshDate = '2026-11-25';
    const result = await call('?period=D7');
    const upstream = result.logs.filter((line) => line.message.startsWith('Graph '));
    expect(upstream.map((line) => line.message)).toEqual([
      expect.stringMatching(
        /^Graph GET reports\/getSkypeForBusinessPeerToPeerActivityMinuteCounts\(period='D7'\) -> 302 in \d+ ms$/,
      ),
      expect.stringMatching(/^Graph GET download from 127\.0\.0\.1:\d+ -> 200 in \d+ ms$/),
    ]);
    expect(result.logs.map((line) => line.message).join('\n')).not.toMatch(
      /sig=|\/reports\/[\w-]+\.csv/,
    );
  });

  describe('reading the CSV [graph-fault]', () => {
    it('answers a header-only CSV as an empty report', async () => {
      sim.graph.inject({
        fault: {
          kind: 'csv',
          body: '\uFEFFReport Refresh Date,Report Date,Report Period,Audio,Video\r\n',
        },
      });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(json(result.text)).toMatchObject({ value: [], reportRefreshDate: null, warnings: [] });
    });

    it('tolerates a column Graph added, and reports it in warnings and the log', async () => {
      sim.graph.csvTransform = (csv) =>
        csv.replace(
          /^(.+)$/gm,
          (line) =>
            `${line.trimEnd()},${line.startsWith('Report') ? 'Screen Share Minutes' : '12'}`,
        );
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      const body = json(result.text);
      expect(body.value).toHaveLength(7);
      expect(Object.keys(body.value[0]!)).not.toContain('screenShareMinutes');
      expect(body.warnings).toEqual([expect.stringContaining('"Screen Share Minutes"')]);
      expect(
        result.logs.some(
          (line) => line.level === 'warning' && line.message.includes('Screen Share Minutes'),
        ),
      ).toBe(true);
    });

    it('answers 502 naming the column when Graph renamed one', async () => {
      sim.graph.csvTransform = (csv) => csv.replace('Audio', 'Audio Minutes');
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('"Audio" is missing');
      expect(problem.detail).toContain('"Audio Minutes"');
    });

    it.each([
      ['a malformed CSV', '2026-11-26,2026-11-26,7,"12', /malformed or truncated/],
      [
        'a non-numeric count, naming the line and column',
        '2026-11-26,2026-11-26,7,many,3',
        /^Line 2: "Audio" should be a whole number, got "many"\.$/,
      ],
    ])('answers 502 for %s', async (_case, row, detail) => {
      const body = `Report Refresh Date,Report Date,Report Period,Audio,Video\n${row}\n`;
      sim.graph.inject({ fault: { kind: 'csv', body } });
      expect(expectProblem(await call('?period=D7'), 502).detail).toMatch(detail);
    });

    it('retries a download cut off mid-body, then answers', async () => {
      sim.graph.csvTransform = (csv) => csv.replace(/\r\n/g, '\n');
      sim.graph.inject({ fault: { kind: 'truncate' }, on: 'download' });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(json(result.text).value).toHaveLength(7);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('answers 502 when every download is cut off', async () => {
      sim.graph.csvTransform = (csv) => `${csv}\n`;
      sim.graph.inject({ fault: { kind: 'truncate' }, on: 'download', times: 10 });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('cut off');
    });
  });

  describe('reading the download within bounds [graph-fault]', () => {
    const LIMIT = 65_536;
    const HUGE = 64 * 1024 * 1024;
    const download = () => sim.graph.requests.find((request) => request.server === 'download')!;

    it.each([
      ['announced by its Content-Length', true],
      ['streamed without a Content-Length', false],
    ])(
      'answers 502 naming GRAPH_MAX_DOWNLOAD_BYTES for a body over the limit %s, without reading it',
      async (_, announce) => {
        configure({ GRAPH_MAX_DOWNLOAD_BYTES: String(LIMIT) });
        sim.graph.inject({ fault: { kind: 'oversize', bytes: HUGE, announce }, on: 'download' });
        const problem = expectProblem(await call('?period=D7'), 502);
        expect(problem.detail).toContain(
          `more than GRAPH_MAX_DOWNLOAD_BYTES allows (${LIMIT} bytes)`,
        );
        // The same answer would come again: not retried.
        expect(sim.graph.apiCalls).toBe(1);
        // It stopped reading: the rest of the 64 MB was never sent.
        expect(download().bytesSent).toBeLessThan(HUGE / 2);
      },
    );

    it.each([
      [0, 200],
      [1, 502],
    ])('with the limit %i byte(s) below the report size, answers %i', async (below, status) => {
      const size = sim.graph.currentReport('D180').bytes.length;
      configure({ GRAPH_MAX_DOWNLOAD_BYTES: String(size - below) });
      expect((await call('?period=D180')).status).toBe(status);
    });

    it('retries a download shorter than its Content-Length, then answers', async () => {
      sim.graph.refreshDate = '2026-11-21'; // a body no earlier test cached, so it is downloaded
      sim.graph.inject({ fault: { kind: 'wrongLength' }, on: 'download' });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(json(result.text).reportRefreshDate).toBe('2026-11-21');
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('answers 502 when every download is shorter than its Content-Length', async () => {
      sim.graph.refreshDate = '2026-11-22';
      sim.graph.inject({
        fault: { kind: 'wrongLength', extraBytes: 10 },
        on: 'download',
        times: 10,
      });
      const problem = expectProblem(await call('?period=D7'), 502);
      const size = sim.graph.currentReport('D7').bytes.length;
      expect(problem.detail).toMatch(
        new RegExp(
          `was cut off: \\d+ of the ${size + 10} bytes its Content-Length announced arrived\\.$`,
        ),
      );
      expect(sim.graph.apiCalls).toBe(3);
    });

    it('answers 504 within REQUEST_TIMEOUT_MS when the body trickles in', async () => {
      configure({ REQUEST_TIMEOUT_MS: '900', GRAPH_CALL_TIMEOUT_MS: '5000' });
      sim.graph.inject({ fault: { kind: 'trickle', intervalMs: 200 }, on: 'download', times: 5 });
      const result = await call('?period=D7');
      expectProblem(result, 504);
      expect(result.elapsedMs).toBeLessThan(1500);
      // The headers and the first bytes had come: it was the body that was too slow.
      expect(download().bytesSent).toBeGreaterThan(0);
    });

    it('retries a download whose body outlasts GRAPH_CALL_TIMEOUT_MS, then answers', async () => {
      configure({ GRAPH_CALL_TIMEOUT_MS: '400' });
      sim.graph.inject({ fault: { kind: 'trickle', intervalMs: 200 }, on: 'download' });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(sim.graph.apiCalls).toBe(2);
    });
  });

  describe('when Graph throttles [graph-fault]', () => {
    it('honours Retry-After in seconds, then answers', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '1' } });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(950);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('honours Retry-After as an HTTP date, then answers', async () => {
      sim.graph.inject({
        fault: {
          kind: 'status',
          status: 429,
          retryAfter: new Date(Date.now() + 2000).toUTCString(),
        },
      });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(900);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('backs off on its own when 429 has no Retry-After', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 429 }, times: 2 });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(sim.graph.apiCalls).toBe(3);
    });

    it('answers 503 with Retry-After once the attempts are spent', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 3 });
      const result = await call('?period=D7');
      expectProblem(result, 503);
      expect(result.headers['Retry-After']).toMatch(/^\d+$/);
      expect(sim.graph.apiCalls).toBe(3);
    });

    it('gives up at once when Retry-After is longer than the time left, passing it on', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '120' } });
      const result = await call('?period=D7');
      expectProblem(result, 503);
      expect(result.headers['Retry-After']).toBe('120');
      expect(result.elapsedMs).toBeLessThan(2000);
      expect(sim.graph.apiCalls).toBe(1);
    });
  });

  describe('when Graph fails [graph-fault]', () => {
    it.each([500, 502, 503, 504])('retries %i, then answers', async (status) => {
      sim.graph.inject({ fault: { kind: 'status', status } });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('answers 502 when 5xx persists past GRAPH_MAX_ATTEMPTS', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 500 }, times: 5 });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('500');
      expect(sim.graph.apiCalls).toBe(3);
    });

    it('retries a dropped connection, then answers', async () => {
      sim.graph.inject({ fault: { kind: 'reset' } });
      expect((await call('?period=D7')).status).toBe(200);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('answers 504 within REQUEST_TIMEOUT_MS when Graph is too slow', async () => {
      configure({ REQUEST_TIMEOUT_MS: '800', GRAPH_CALL_TIMEOUT_MS: '5000' });
      sim.graph.inject({ fault: { kind: 'slow', delayMs: 3000 }, times: 5 });
      const result = await call('?period=D7');
      expectProblem(result, 504);
      expect(result.elapsedMs).toBeLessThan(1500);
    });

    it('retries a call that exceeds GRAPH_CALL_TIMEOUT_MS, then answers', async () => {
      configure({ GRAPH_CALL_TIMEOUT_MS: '300' });
      sim.graph.inject({ fault: { kind: 'slow', delayMs: 1000 } });
      const result = await call('?period=D7');
      expect(result.status).toBe(200);
      expect(sim.graph.apiCalls).toBe(2);
    });

    it('answers 502 with the permission hint when Graph says 403', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 403 } });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('Reports.Read.All, with admin consent');
      expect(problem.graphStatus).toBe(403);
      expect(sim.graph.apiCalls).toBe(1);
    });

    it('answers 502 saying the token was rejected when Graph says 401, without retrying', async () => {
      configure({ GRAPH_ACCESS_TOKEN: 'not-the-token' });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain("Graph rejected the app's token");
      expect(problem.detail).not.toContain('Reports.Read.All');
      expect(problem.graphStatus).toBe(401);
      expect(sim.graph.apiCalls).toBe(1);
    });

    it('answers 502 when our own credential cannot get a token, logging the detail server-side', async () => {
      // No az on PATH: the Azure CLI credential fails here without contacting anything.
      configure({
        GRAPH_ACCESS_TOKEN: undefined,
        GRAPH_CREDENTIAL: 'azure-cli',
        PATH: '/nonexistent',
      });
      const result = await call('?period=D7');
      const problem = expectProblem(result, 502);
      expect(problem.type).toBe('urn:graph-usage-reports:problem:credential');
      expect(problem.detail).toMatch(/from the azure-cli credential/);
      expect(
        result.logs.some(
          (line) =>
            line.level === 'error' && line.message.startsWith('Credential failure detail: '),
        ),
      ).toBe(true);
      expect(sim.graph.requests).toHaveLength(0);
    });

    it('refuses a redirect to plain http on a foreign host, naming the host only', async () => {
      sim.graph.inject({
        fault: { kind: 'redirect', location: 'http://downloads.example.com/report.csv?sig=secret' },
      });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('http://downloads.example.com');
      expect(problem.detail).not.toContain('sig=secret');
    });

    it('follows a further redirect from the download host, still without the token', async () => {
      sim.graph.csvTransform = (csv) => `${csv}\r\n`;
      sim.graph.inject({ fault: { kind: 'extraHop' }, on: 'download', times: 2 });
      expect((await call('?period=D7')).status).toBe(200);
      const downloads = sim.graph.requests.filter((request) => request.server === 'download');
      expect(downloads).toHaveLength(3);
      expect(downloads.every((request) => request.authorization === undefined)).toBe(true);
    });

    it('answers 502 after more than three redirects', async () => {
      sim.graph.csvTransform = (csv) => `${csv}\r\n\r\n`;
      sim.graph.inject({ fault: { kind: 'extraHop' }, on: 'download', times: 10 });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toBe('Graph redirected more than 3 times.');
      expect(sim.graph.apiCalls).toBe(1);
    });

    it('answers 502 for a redirect without Location', async () => {
      sim.graph.inject({ fault: { kind: 'redirect', location: null } });
      const problem = expectProblem(await call('?period=D7'), 502);
      expect(problem.detail).toContain('without a Location');
    });

    it('answers 502 for a status it cannot use', async () => {
      sim.graph.inject({ fault: { kind: 'status', status: 418 } });
      expectProblem(await call('?period=D7'), 502);
      expect(sim.graph.apiCalls).toBe(1);
    });
  });

  describe('configuration errors', () => {
    const cases: [string, Record<string, string | undefined>, string][] = [
      [
        'a static token with a non-loopback Graph',
        { GRAPH_BASE_URL: 'https://sim.graph.microsoft.com/v1.0' },
        'GRAPH_ACCESS_TOKEN',
      ],
      ['no credentials at all', { GRAPH_ACCESS_TOKEN: undefined }, 'GRAPH_CREDENTIAL'],
      ['a bad attempt count', { GRAPH_MAX_ATTEMPTS: 'lots' }, 'GRAPH_MAX_ATTEMPTS'],
      ['a bad Graph URL', { GRAPH_BASE_URL: 'not a url' }, 'GRAPH_BASE_URL'],
      [
        'a download limit below 1 KB',
        { GRAPH_MAX_DOWNLOAD_BYTES: '1000' },
        'GRAPH_MAX_DOWNLOAD_BYTES',
      ],
    ];
    it.each(cases)(
      'answers 500 naming the setting for %s, contacting nothing',
      async (_, settings, setting) => {
        configure(settings);
        const problem = expectProblem(await call('?period=D7'), 500);
        expect(problem.setting).toBe(setting);
        expect(problem.detail).toContain(setting);
        expect(sim.graph.requests).toHaveLength(0);
      },
    );
  });
});

export type { LogLine };
