import { DATE_RANGE_TEXT, isCalendarDate } from '../../shared/reports/dates';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  REPORT_PERIODS,
  ReportDefinition,
  ReportPeriod,
  reportPath,
  skypeP2pMinuteCounts,
} from '../../shared/reports/definitions';
import { defaultRefreshDate, sampleCsv } from './sampleTenant';
import { CatalogueSample, catalogueSamples, silentCsv } from './catalogueSamples';

/** Every report the simulator serves: the first report and the catalogue's others. */
export const SIMULATED_REPORTS: readonly CatalogueSample[] = [
  { definition: skypeP2pMinuteCounts, csv: sampleCsv },
  ...catalogueSamples,
];

function simulatedReport(
  slug: string,
  reports: readonly CatalogueSample[] = SIMULATED_REPORTS,
): CatalogueSample {
  const found = reports.find((sample) => sample.definition.routeSlug === slug);
  if (!found) throw new Error(`no simulated report "${slug}"`);
  return found;
}
import { ChaosFault, ChaosKind, ChaosOptions, chaosFaults, checkChaos } from './chaos';

/**
 * A Microsoft Graph stand-in for every catalogued report, over real HTTP: checks the bearer token, answers 302
 * to a pre-authenticated URL on a second port that refuses Authorization, serves a BOM-prefixed
 * CSV with an ETag, honours If-None-Match, and injects faults on demand, at steady seeded rates
 * (chaos mode), or adds a fixed latency to every hop.
 *
 * A simulator in another process is driven over its API port, outside Graph's paths:
 * - `GET /_simulator/state`, `PUT /_simulator/state` with any of `{ refreshDate, latencyMs,
 *   chaos, omitReportDates, silent }` (`chaos: null` ends chaos mode; `omitReportDates:
 *   { from, to }` serves no rows for those report dates, as Graph sometimes has none, and `null`
 *   ends that; `silent` lists the route slugs of reports served all-zero, as Graph serves a
 *   retired product's);
 * - `GET /_simulator/stats`: requests counted since start (what a benchmark reads);
 * - `POST /_simulator/faults` with a `QueuedFault` or an array of them; `DELETE` drops those left.
 *   A fault with `report` (a route slug) applies to that report's requests only, else to any.
 */
export type SimulatorFault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'reset' }
  | { kind: 'redirect'; location: string | null }
  /** The report API answers 200 with the CSV itself, without a redirect. */
  | { kind: 'direct' }
  /** The download host answers 302 to its own URL, adding a hop. */
  | { kind: 'extraHop' }
  | { kind: 'csv'; body: string | Buffer }
  | { kind: 'truncate' }
  /**
   * The download is the CSV padded with rows to `bytes` bytes, streamed as the client reads it;
   * with `Content-Length` unless `announce` is false (then chunked).
   */
  | { kind: 'oversize'; bytes: number; announce?: boolean }
  /** The download announces `extraBytes` (default 100) more than it sends, then hangs up. */
  | { kind: 'wrongLength'; extraBytes?: number }
  /** The headers come at once, the body `chunkBytes` (default 16) every `intervalMs`. */
  | { kind: 'trickle'; intervalMs: number; chunkBytes?: number };

export interface QueuedFault {
  readonly fault: SimulatorFault;
  /** Which server it applies to: the report API (default) or the download host. */
  readonly on?: 'api' | 'download';
  /** How many requests it applies to (default 1). */
  readonly times?: number;
  /** The route slug of the one report it applies to (default: whichever report is asked). */
  readonly report?: string;
}

export interface RecordedRequest {
  readonly server: 'api' | 'download';
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly ifNoneMatch: string | undefined;
  /** When it arrived (ms since the epoch), to check the spacing of retries. */
  readonly receivedAt: number;
  /** Body bytes the server handed to the connection, for the streamed faults. */
  bytesSent?: number;
}

export interface GraphSimulatorOptions {
  readonly token: string;
  readonly refreshDate?: string;
  readonly apiPort?: number;
  readonly downloadPort?: number;
  /** Added before every answer of the report API and the download host (default 0). */
  readonly latencyMs?: number;
  readonly chaos?: ChaosOptions;
  /** Route slugs of the reports served all-zero (every count 0, every duration PT0S). */
  readonly silent?: readonly string[];
  /**
   * What it serves, by Graph function (default: every catalogued report, SIMULATED_REPORTS).
   * A report being added is served here before it joins the catalogue (see "Add a report").
   */
  readonly reports?: readonly CatalogueSample[];
}

/** What the simulator has answered since it started: counters, however long it runs. */
export interface SimulatorStats {
  /** Report API requests (Graph's throttling counts these), faults included. */
  apiCalls: number;
  /** Download host requests. */
  downloads: number;
  /** Faults chaos mode injected, by kind. */
  chaos: Record<ChaosKind, number>;
}

interface Download {
  /** The route slug of the report it holds, for faults aimed at one report. */
  readonly report?: string;
  readonly bytes: Buffer;
  readonly etag: string;
  readonly expires: number;
}

const API_PREFIX = '/v1.0';
const DOWNLOAD_TTL_MS = 5 * 60_000;

export class GraphSimulator {
  refreshDate: string;
  /** Rewrites every CSV served (renamed or added columns); undefined serves the sample as is. */
  csvTransform: ((csv: string) => string) | undefined;
  readonly requests: RecordedRequest[] = [];
  /** Milliseconds added before every answer of either server (not the control routes). */
  latencyMs: number;
  readonly stats: SimulatorStats = emptyStats();
  /** Route slugs of the reports served all-zero. */
  readonly silent = new Set<string>();
  private chaos: ChaosOptions | undefined;
  private nextChaos: (() => { kind: ChaosKind; fault: ChaosFault } | undefined) | undefined;
  private readonly faults: {
    fault: SimulatorFault;
    on: 'api' | 'download';
    left: number;
    report?: string;
  }[] = [];
  private readonly downloads = new Map<string, Download>();
  private closed = false;
  private readonly api: Server;
  private readonly download: Server;

  private readonly reports: readonly CatalogueSample[];

  private constructor(private readonly options: GraphSimulatorOptions) {
    this.reports = options.reports ?? SIMULATED_REPORTS;
    this.refreshDate = options.refreshDate ?? defaultRefreshDate();
    this.latencyMs = checkLatency(options.latencyMs ?? 0);
    this.setChaos(options.chaos);
    for (const slug of options.silent ?? [])
      this.silent.add(simulatedReport(slug, this.reports).definition.routeSlug);
    this.api = createServer((req, res) => this.guard(this.handleApi(req, res), res));
    this.download = createServer((req, res) => this.guard(this.handleDownload(req, res), res));
  }

  static async start(options: GraphSimulatorOptions): Promise<GraphSimulator> {
    const simulator = new GraphSimulator(options);
    await listen(simulator.api, options.apiPort ?? 0);
    await listen(simulator.download, options.downloadPort ?? 0);
    return simulator;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.api.address() as AddressInfo).port}${API_PREFIX}`;
  }

  get downloadOrigin(): string {
    return `http://127.0.0.1:${(this.download.address() as AddressInfo).port}`;
  }

  /** Report API requests received (what Graph's throttling counts). */
  get apiCalls(): number {
    return this.requests.filter((request) => request.server === 'api').length;
  }

  inject(...faults: QueuedFault[]): void {
    for (const { fault, on = 'api', times = 1, report } of faults) {
      if (report !== undefined) simulatedReport(report, this.reports);
      this.faults.push({ fault, on, left: times, ...(report === undefined ? {} : { report }) });
    }
  }

  /** Starts chaos mode (from the seed again), or ends it with undefined. */
  setChaos(options: ChaosOptions | undefined): void {
    this.chaos = options && checkChaos(options);
    this.nextChaos = options && chaosFaults(options);
  }

  reset(): void {
    this.faults.length = 0;
    this.requests.length = 0;
    this.csvTransform = undefined;
    this.latencyMs = 0;
    this.silent.clear();
    this.setChaos(undefined);
    Object.assign(this.stats, emptyStats());
  }

  /** A handler that fails (say, a slow answer resuming after close) ends its response, not us. */
  private guard(handling: Promise<void>, res: ServerResponse): void {
    handling.catch(() => {
      if (!res.headersSent && !this.closed) res.writeHead(500).end();
      else res.destroy();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const server of [this.api, this.download]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** The CSV the tenant currently serves for a report (default: the first) and period. */
  currentReport(
    period: ReportPeriod,
    definition: ReportDefinition = skypeP2pMinuteCounts,
  ): Download {
    const report = definition.routeSlug;
    let bytes = this.silent.has(report)
      ? silentCsv(definition, period, this.refreshDate)
      : simulatedReport(report, this.reports).csv(period, this.refreshDate);
    if (this.csvTransform) {
      const text = bytes.subarray(3).toString('utf8');
      bytes = Buffer.concat([bytes.subarray(0, 3), Buffer.from(this.csvTransform(text), 'utf8')]);
    }
    return { report, bytes, etag: etagOf(bytes), expires: Date.now() + DOWNLOAD_TTL_MS };
  }

  /** A queued fault first; otherwise, on the report API, chaos mode's draw. */
  private takeFault(on: 'api' | 'download', report?: string): SimulatorFault | undefined {
    const index = this.faults.findIndex(
      (entry) => entry.on === on && (entry.report === undefined || entry.report === report),
    );
    if (index < 0) {
      const drawn = on === 'api' ? this.nextChaos?.() : undefined;
      if (drawn) this.stats.chaos[drawn.kind]++;
      return drawn?.fault;
    }
    const entry = this.faults[index]!;
    if (--entry.left <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  private record(server: 'api' | 'download', req: IncomingMessage): RecordedRequest {
    const recorded: RecordedRequest = {
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      ifNoneMatch: req.headers['if-none-match'],
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    if (server === 'api') this.stats.apiCalls++;
    else this.stats.downloads++;
    return recorded;
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/_simulator/')) return this.handleControl(url.pathname, req, res);
    this.record('api', req);
    await this.delay();
    // The same path builder as the client's, so the two cannot disagree on the route.
    const path = decodeURIComponent(url.pathname);
    let asked: { definition: ReportDefinition; period: ReportPeriod } | undefined;
    for (const { definition } of this.reports) {
      const period = REPORT_PERIODS.find(
        (candidate) => path === `${API_PREFIX}${reportPath(definition, candidate)}`,
      );
      if (period) asked = { definition, period };
    }
    if (req.method !== 'GET' || !asked) {
      return graphError(res, 404, 'ResourceNotFound', 'Unsupported request in this simulator.');
    }
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      return graphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token is missing or invalid.',
      );
    }
    const fault = this.takeFault('api', asked.definition.routeSlug);
    if (fault && (await this.applyFault(fault, res))) return;
    if (fault?.kind === 'redirect') {
      res.writeHead(302, fault.location === null ? {} : { Location: fault.location }).end();
      return;
    }
    const report =
      fault?.kind === 'csv'
        ? withBody(fault.body, asked.definition.routeSlug)
        : this.currentReport(asked.period, asked.definition);
    if (fault?.kind !== 'csv' && req.headers['if-none-match'] === report.etag) {
      res.writeHead(304, { ETag: report.etag }).end();
      return;
    }
    if (fault?.kind === 'direct') {
      res.writeHead(200, { 'Content-Type': 'text/csv', ETag: report.etag }).end(report.bytes);
      return;
    }
    const id = randomUUID();
    for (const [key, entry] of this.downloads)
      if (entry.expires < Date.now()) this.downloads.delete(key);
    this.downloads.set(id, report);
    res
      .writeHead(302, { Location: `${this.downloadOrigin}/reports/${id}.csv?sig=${randomUUID()}` })
      .end();
  }

  private async handleDownload(req: IncomingMessage, res: ServerResponse) {
    const recorded = this.record('download', req);
    await this.delay();
    if (req.headers.authorization !== undefined) {
      return graphError(
        res,
        400,
        'AuthorizationNotAllowed',
        'The download URL is pre-authenticated; Authorization must not be sent.',
      );
    }
    const id = /^\/reports\/([\w-]+)\.csv$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    const download = id ? this.downloads.get(id) : undefined;
    if (!download || download.expires < Date.now()) {
      return graphError(
        res,
        403,
        'AuthenticationFailed',
        'The download URL is unknown or has expired.',
      );
    }
    const fault = this.takeFault('download', download.report);
    if (fault && (await this.applyFault(fault, res))) return;
    if (fault?.kind === 'extraHop') {
      res.writeHead(302, { Location: `${this.downloadOrigin}${req.url ?? '/'}` }).end();
      return;
    }
    const served = fault?.kind === 'csv' ? withBody(fault.body) : download;
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, { ETag: served.etag }).end();
      return;
    }
    const headers = { 'Content-Type': 'application/octet-stream', ETag: served.etag };
    if (fault?.kind === 'truncate') {
      res.writeHead(200, { ...headers, 'Content-Length': String(served.bytes.length) });
      res.write(served.bytes.subarray(0, Math.floor(served.bytes.length / 2)));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    if (fault?.kind === 'oversize') {
      const padded = padTo(served.bytes, fault.bytes, this.refreshDate);
      const length = fault.announce === false ? {} : { 'Content-Length': String(fault.bytes) };
      res.writeHead(200, { ...headers, ...length });
      return streamBody(res, padded, recorded, 0);
    }
    if (fault?.kind === 'wrongLength') {
      const announced = served.bytes.length + (fault.extraBytes ?? 100);
      // Closing the connection after the short body is what makes it a truncation to the client.
      res.writeHead(200, { ...headers, 'Content-Length': String(announced), Connection: 'close' });
      res.end(served.bytes);
      return;
    }
    if (fault?.kind === 'trickle') {
      res.writeHead(200, { ...headers, 'Content-Length': String(served.bytes.length) });
      res.flushHeaders();
      const chunks = chunksOf(served.bytes, fault.chunkBytes ?? 16);
      return streamBody(res, chunks, recorded, fault.intervalMs);
    }
    res.writeHead(200, headers).end(served.bytes);
  }

  /** Answers for faults that replace the response; returns false for those that alter it. */
  private async applyFault(fault: SimulatorFault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
        res
          .writeHead(fault.status, headers)
          .end(fault.body ?? JSON.stringify({ error: { code: 'Injected' } }));
        return true;
      }
      case 'slow':
        // Unref'd: a slow answer nobody waits for any more must not keep a test process alive.
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
        return false;
      case 'reset':
        res.socket?.destroy();
        return true;
      default:
        return false;
    }
  }

  /** The fixed latency of a hop; unref'd, so an answer nobody awaits keeps no process alive. */
  private async delay(): Promise<void> {
    if (this.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs).unref());
  }

  private async handleControl(pathname: string, req: IncomingMessage, res: ServerResponse) {
    const route = `${req.method ?? 'GET'} ${pathname}`;
    try {
      switch (route) {
        case 'GET /_simulator/state':
          return sendJson(res, 200, this.state());
        case 'PUT /_simulator/state':
          this.changeState(await readJson(req));
          return sendJson(res, 200, this.state());
        case 'GET /_simulator/stats':
          return sendJson(res, 200, this.stats);
        case 'POST /_simulator/faults': {
          const body = await readJson(req);
          const faults = (Array.isArray(body) ? body : [body]) as QueuedFault[];
          if (faults.some((entry) => typeof entry?.fault?.kind !== 'string'))
            throw new Error('each fault must be { fault: { kind, ... }, on?, times? }');
          this.inject(...faults);
          return sendJson(res, 200, { queued: this.faults.length });
        }
        case 'DELETE /_simulator/faults':
          this.faults.length = 0;
          return sendJson(res, 200, { queued: 0 });
        default:
          return graphError(res, 404, 'ResourceNotFound', `No control route ${route}.`);
      }
    } catch (error) {
      res
        .writeHead(400, { 'Content-Type': 'text/plain' })
        .end(error instanceof Error ? error.message : String(error));
    }
  }

  private state() {
    return {
      refreshDate: this.refreshDate,
      apiCalls: this.apiCalls,
      latencyMs: this.latencyMs,
      chaos: this.chaos ?? null,
      silent: [...this.silent].sort(),
    };
  }

  /** Checks every field before changing any, so a refused change leaves the state as it was. */
  private changeState(body: unknown): void {
    const change = (body ?? {}) as {
      refreshDate?: string;
      latencyMs?: number;
      chaos?: ChaosOptions | null;
      omitReportDates?: { from?: unknown; to?: unknown } | null;
      silent?: string[];
    };
    if (
      change.silent !== undefined &&
      (!Array.isArray(change.silent) || change.silent.some((slug) => typeof slug !== 'string'))
    )
      throw new Error('silent must be an array of report route slugs');
    const silent = change.silent?.map(
      (slug) => simulatedReport(slug, this.reports).definition.routeSlug,
    );
    // Real calendar dates only: 2026-13-45 once got in and every download answered 500.
    if (change.refreshDate !== undefined && !isCalendarDate(change.refreshDate))
      throw new Error(`refreshDate must be ${DATE_RANGE_TEXT}`);
    const omit = change.omitReportDates;
    if (omit && !(isCalendarDate(omit.from) && isCalendarDate(omit.to)))
      throw new Error(`omitReportDates must be { from, to }, each ${DATE_RANGE_TEXT}, or null`);
    const latencyMs = change.latencyMs === undefined ? undefined : checkLatency(change.latencyMs);
    if (change.chaos) checkChaos(change.chaos);
    if (change.refreshDate !== undefined) this.refreshDate = change.refreshDate;
    if (latencyMs !== undefined) this.latencyMs = latencyMs;
    if (change.chaos !== undefined) this.setChaos(change.chaos ?? undefined);
    if (omit !== undefined) {
      this.csvTransform = omit
        ? withoutReportDates({ from: String(omit.from), to: String(omit.to) })
        : undefined;
    }
    if (silent !== undefined) {
      this.silent.clear();
      for (const slug of silent) this.silent.add(slug);
    }
  }
}

/** A `csvTransform`: Graph serving no rows for the report dates of the span. */
export function withoutReportDates(span: { readonly from: string; readonly to: string }) {
  return (csv: string) =>
    csv
      .split('\r\n')
      .filter((line, index) => {
        const reportDate = line.split(',')[1] ?? '';
        return index === 0 || !(reportDate >= span.from && reportDate <= span.to);
      })
      .join('\r\n');
}

function emptyStats(): SimulatorStats {
  return { apiCalls: 0, downloads: 0, chaos: { throttle: 0, serverError: 0, slow: 0 } };
}

function checkLatency(latencyMs: unknown): number {
  if (
    typeof latencyMs !== 'number' ||
    !Number.isInteger(latencyMs) ||
    latencyMs < 0 ||
    latencyMs > 60_000
  )
    throw new Error('latencyMs must be an integer from 0 to 60000');
  return latencyMs;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('hex')}"`;
}

function withBody(body: string | Buffer, report?: string): Download {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { report, bytes, etag: etagOf(bytes), expires: Date.now() + DOWNLOAD_TTL_MS };
}

function graphError(res: ServerResponse, status: number, code: string, message: string) {
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ error: { code, message } }));
}

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield bytes.subarray(offset, offset + size);
  }
}

/** The CSV followed by plausible rows up to exactly `total` bytes, made as it is read. */
function* padTo(csv: Buffer, total: number, refreshDate: string): Generator<Buffer> {
  yield* chunksOf(csv.subarray(0, total), 64 * 1024);
  const row = `${refreshDate},${refreshDate},7,1,1\r\n`;
  const block = Buffer.from(row.repeat(Math.ceil((64 * 1024) / row.length)), 'utf8');
  for (let sent = csv.length; sent < total; sent += block.length) {
    yield block.subarray(0, Math.min(block.length, total - sent));
  }
}

/**
 * Writes the chunks as the client takes them (waiting for `drain`), `intervalMs` apart, and stops
 * once the client hangs up: `recorded.bytesSent` then shows how much it took before it did.
 */
async function streamBody(
  res: ServerResponse,
  chunks: Iterable<Buffer>,
  recorded: RecordedRequest,
  intervalMs: number,
): Promise<void> {
  recorded.bytesSent = 0;
  let gone = false;
  res.once('close', () => (gone = true));
  for (const chunk of chunks) {
    if (gone) return;
    const flushed = res.write(chunk);
    recorded.bytesSent += chunk.length;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    // Unref'd, like the slow fault: a trickle nobody reads any more must not keep a process alive.
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
  }
  if (!gone) res.end();
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
