import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { HttpRequest, InvocationContext, Timer } from '@azure/functions';
import { Cron } from 'croner';
import { Settings } from '../../shared/config';
import { errorMessage } from '../../shared/common/errors';
import { quote, safeText } from '../../shared/common/logSafe';
import { COMMON_HEADERS } from '../../shared/http/headers';
import { makeProblem, Problem } from '../../shared/http/problem';
import { RegisteredFunction, retryDelaysMs } from './registrations';
import { compileRoute, RouteMatcher } from './routes';
import { redactKey, RefusedRequest, requestUrl } from './requestTarget';
import { ncrontab, resolveBindingExpression } from './schedule';
import { sleep } from '../../shared/common/sleep';
import { flattenHeaders, lazyNativeRequest, sendResult } from './exchange';
import { batchedLines, LineWriter } from './lineWriter';

/**
 * A small stand-in for the Functions host: serves the HTTP functions under /api, runs the timer
 * functions on their NCRONTAB schedules (with their retry policies), and lets a timer be run by
 * hand with POST /admin/functions/{name}, all from the registrations the app made. Function keys
 * are not checked, as Core Tools does not check them locally.
 *
 * Its own answers (404, 202, its 400s and 500s, even to a request Node cannot parse) carry
 * `X-Content-Type-Options: nosniff`, and its errors are problem+json. Everything it logs from a
 * request or a function goes through `quote`/`safeText`: escaped, cut, one line per message.
 *
 * The hot path stays lean, since it sits in front of every cached answer: a GET's (empty) body
 * is not read, the request a handler gets builds its fetch `Request` only if a body is read, a
 * plain answer goes straight to the socket, and log lines leave in one write per turn of the
 * event loop (see `exchange.ts` and `lineWriter.ts`).
 */
interface HttpRoute {
  readonly fn: RegisteredFunction;
  readonly matcher: RouteMatcher;
  readonly methods: readonly string[];
}

interface TimerJob {
  readonly fn: RegisteredFunction;
  readonly expression: string;
  readonly cron: Cron;
}

export interface LocalHostOptions {
  readonly functions: readonly RegisteredFunction[];
  readonly settings: Settings;
  readonly port: number;
  /** Where log lines go, one call per line; by default stdout, in batches. */
  readonly log?: (line: string) => void;
}

type Handler = (trigger: unknown, context: InvocationContext) => Promise<unknown>;

const API_PREFIX = '/api/';

/** Node's parser refusals that are not a plain 400, with what to tell the caller. */
const PARSER_REFUSALS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time.'],
};

export class LocalFunctionsHost {
  private readonly routes: HttpRoute[];
  private readonly timers: TimerJob[];
  private readonly log: (line: string) => void;
  /** The default stdout writer, flushed on stop; none when the caller logs itself. */
  private readonly writer: LineWriter | undefined;
  private readonly running = new Set<Promise<unknown>>();
  /** Aborted by stop(): retry waits end and no further attempt starts. */
  private readonly stopping = new AbortController();
  private server?: Server;

  /** Resolves every schedule first: a bad or missing one is a ConfigError before anything runs. */
  constructor(private readonly options: LocalHostOptions) {
    this.writer = options.log ? undefined : batchedLines();
    this.log = options.log ?? this.writer!.write;
    this.routes = options.functions
      .filter((fn) => fn.trigger.type === 'httpTrigger')
      .map((fn) => ({
        fn,
        matcher: compileRoute(fn.trigger.route ?? fn.name),
        methods: (fn.trigger.methods ?? ['GET', 'POST']).map((method) => method.toUpperCase()),
      }));
    this.timers = options.functions
      .filter((fn) => fn.trigger.type === 'timerTrigger')
      .map((fn) => {
        const { value, setting } = resolveBindingExpression(
          String(fn.trigger.schedule),
          options.settings,
        );
        return { fn, expression: value, cron: ncrontab(value, setting ?? `${fn.name} schedule`) };
      });
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | undefined)?.port ?? this.options.port;
  }

  /** What Core Tools prints at start: each function with its URL or schedule. */
  describe(baseUrl = `http://localhost:${this.port}`): string[] {
    return [
      ...this.routes.map(
        ({ fn, methods }) =>
          `${fn.name}: [${methods.join(',')}] ${baseUrl}/api/${fn.trigger.route ?? fn.name}`,
      ),
      ...this.timers.map(
        ({ fn, expression, cron }) =>
          `${fn.name}: timerTrigger (${expression} UTC, next ${cron.nextRun()?.toISOString() ?? 'never'})`,
      ),
    ];
  }

  async start(): Promise<void> {
    // Without a Host header Node would answer 400 itself, bare; requestUrl refuses it instead.
    const server = createServer({ requireHostHeader: false }, (req, res) => {
      void this.handle(req, res);
    });
    server.on('clientError', (error, socket) => this.refuseUnparsable(error, socket));
    // Node closes a CONNECT's socket without a word, and answers an unknown Expect with a bare
    // 417: both get a problem with our headers instead.
    server.on('connect', (req: IncomingMessage, socket: Duplex) => {
      this.log(
        `[${new Date().toISOString()}] Refused ${quote(req.method)} ${quote(redactKey(req.url))}`,
      );
      const problem = makeProblem(
        405,
        'bad-request',
        'Method not allowed',
        'CONNECT is not served here.',
      );
      const body = JSON.stringify(problem.body);
      const head = Object.entries({
        ...problem.headers,
        Allow: 'GET, HEAD, POST',
        'Content-Length': String(Buffer.byteLength(body)),
        Connection: 'close',
      })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      socket.end(`HTTP/1.1 405 Method Not Allowed\r\n${head}\r\n\r\n${body}`);
    });
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      sendProblem(
        res,
        makeProblem(
          417,
          'bad-request',
          'Expectation failed',
          `Expect ${quote(req.headers.expect)} is not supported; only 100-continue is.`,
        ),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    for (const job of this.timers) {
      job.cron.schedule(() => this.runTimer(job.fn, false));
      job.cron.resume();
      if (job.fn.trigger.runOnStartup)
        void this.runTimer(job.fn, false, 'The timer is set to run on startup.');
    }
  }

  /** Stops schedules and the listener, then waits for invocations under way. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const job of this.timers) job.cron.stop();
    const server = this.server;
    if (server) {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.allSettled([...this.running]);
    this.writer?.flush();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // HTTP/1.0 may leave out Host; HTTP/1.1 must send one (RFC 9112).
      const host =
        req.headers.host ?? (req.httpVersion === '1.0' ? `127.0.0.1:${this.port}` : undefined);
      const url = requestUrl(req.url ?? '/', host);
      const method = (req.method ?? 'GET').toUpperCase();
      if (
        req.rawHeaders.filter((_, at) => at % 2 === 0 && /^host$/i.test(req.rawHeaders[at]!))
          .length > 1
      ) {
        throw new RefusedRequest('The request has more than one Host header.');
      }
      if (method === 'TRACE' || method === 'CONNECT') {
        res.setHeader('Allow', 'GET, HEAD, POST');
        return sendProblem(
          res,
          makeProblem(405, 'bad-request', 'Method not allowed', `${method} is not served here.`),
        );
      }
      // A GET or HEAD body is dropped, as HttpRequest drops it; Node discards it unread.
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const read = await readBody(req, MAX_BODY_BYTES);
        if (read.kind === 'too-large') {
          this.log(
            `[${new Date().toISOString()}] Refused ${quote(req.method)} ${quote(redactKey(req.url))}: body over ${MAX_BODY_BYTES} bytes`,
          );
          res.setHeader('Connection', 'close');
          sendProblem(
            res,
            makeProblem(
              413,
              'bad-request',
              'Content too large',
              `A request body may hold at most ${MAX_BODY_BYTES} bytes.`,
            ),
          );
          // Not read further: the connection closes once the answer is out.
          res.on('finish', () => req.destroy());
          return;
        }
        body = read.bytes;
      }
      if (url.pathname.startsWith('/admin/functions/')) {
        return this.handleAdmin(
          method,
          decodeURIComponent(url.pathname.slice('/admin/functions/'.length)),
          body,
          res,
        );
      }
      const route = this.findRoute(url.pathname, method);
      if (!route) return notFound(res);
      const href = url.href;
      const headers = flattenHeaders(req);
      const request = new HttpRequest({
        method,
        url: href,
        headers,
        params: route.params,
        nativeRequest: lazyNativeRequest(method, href, headers, body),
      } as ConstructorParameters<typeof HttpRequest>[0]);
      const result = await this.track(
        this.invoke(
          route.fn,
          request,
          'This function was programmatically called via the host APIs.',
        ),
      );
      await sendResult(res, result);
    } catch (error) {
      // The function key may be in the query (?code=): never in a log line.
      const request = `${quote(req.method)} ${quote(redactKey(req.url))}`;
      // A malformed Host or URL is the caller's mistake; anything else is ours.
      if (error instanceof RefusedRequest) {
        this.log(`[${new Date().toISOString()}] Refused ${request}: ${safeText(error.message)}`);
        if (!res.headersSent)
          sendProblem(res, makeProblem(400, 'bad-request', 'Bad request', error.message));
        return;
      }
      this.log(`[${new Date().toISOString()}] ${request} failed: ${safeText(errorMessage(error))}`);
      if (!res.headersSent) {
        sendProblem(
          res,
          makeProblem(
            500,
            'internal',
            'Internal error',
            'The request failed unexpectedly; see the local host log.',
          ),
        );
      } else res.destroy();
    }
  }

  /**
   * A request Node's parser refused (a NUL in a header, a bad method, headers too large):
   * answered like Node would (400, 408 or 431), but as a problem with our headers, and logged.
   */
  private refuseUnparsable(error: NodeJS.ErrnoException, socket: Duplex) {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, detail] = PARSER_REFUSALS[error.code ?? ''] ?? [
      400,
      'The request is not valid HTTP.',
    ];
    this.log(
      `[${new Date().toISOString()}] Refused a request Node could not parse: ${quote(error.code ?? error.message)}`,
    );
    const problem = makeProblem(
      status,
      'bad-request',
      STATUS_CODES[status] ?? 'Bad request',
      detail,
    );
    const body = JSON.stringify(problem.body);
    const headers = Object.entries({
      ...problem.headers,
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.join('')}\r\n${body}`);
  }

  private findRoute(pathname: string, method: string) {
    if (!pathname.startsWith(API_PREFIX)) return undefined;
    const path = pathname.slice(API_PREFIX.length);
    for (const route of this.routes) {
      const params = route.matcher.match(path);
      // Azure answers 404, not 405, when the route exists for other methods only.
      if (params && route.methods.includes(method)) return { fn: route.fn, params };
    }
    return undefined;
  }

  private handleAdmin(method: string, name: string, body: Buffer | undefined, res: ServerResponse) {
    const job = this.timers.find(
      (candidate) => candidate.fn.name.toLowerCase() === name.toLowerCase(),
    );
    if (method !== 'POST' || !job) return notFound(res);
    if (body && body.length > 0) {
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        sendProblem(
          res,
          makeProblem(400, 'bad-request', 'Bad request', 'The body must be JSON, e.g. {}.'),
        );
        return;
      }
    }
    res.writeHead(202, COMMON_HEADERS).end();
    void this.runTimer(
      job.fn,
      false,
      'This function was programmatically called via the host APIs.',
    );
  }

  /** One timer firing, retried as the function's retry policy says, like the host does. */
  private runTimer(fn: RegisteredFunction, isPastDue: boolean, reason?: string): Promise<void> {
    const delays = retryDelaysMs(fn.retry);
    const run = async () => {
      for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
        const timer: Timer = { isPastDue, schedule: { adjustForDST: false } } as Timer;
        try {
          await this.invoke(fn, timer, reason ?? `Timer fired at ${new Date().toISOString()}`, {
            retryCount: attempt,
            maxRetryCount: delays.length,
          });
          return;
        } catch {
          const delay = delays[attempt];
          if (delay === undefined) {
            if (delays.length)
              this.log(
                `[${new Date().toISOString()}] Giving up on '${fn.name}' after ${delays.length} retries.`,
              );
            return;
          }
          this.log(
            `[${new Date().toISOString()}] Retrying '${fn.name}' in ${delay / 1000} s (retry ${attempt + 1} of ${delays.length}).`,
          );
          await sleep(delay, this.stopping.signal);
        }
      }
    };
    return this.track(run());
  }

  private async invoke(
    fn: RegisteredFunction,
    trigger: unknown,
    reason: string,
    retryContext?: { retryCount: number; maxRetryCount: number },
  ): Promise<unknown> {
    const invocationId = randomUUID();
    const stamp = () => `[${new Date().toISOString()}]`;
    const context = new InvocationContext({
      functionName: fn.name,
      invocationId,
      retryContext,
      logHandler: (level, ...args) => {
        const text = args
          .map((arg) => (arg instanceof Error ? arg.message : String(arg)))
          .join(' ');
        this.log(`${stamp()} ${level === 'information' ? '' : `${level}: `}${safeText(text)}`);
      },
    });
    const started = Date.now();
    this.log(
      `${stamp()} Executing 'Functions.${fn.name}' (Reason='${reason}', Id=${invocationId})`,
    );
    try {
      const result = await (fn.handler as Handler)(trigger, context);
      this.log(
        `${stamp()} Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
      );
      return result;
    } catch (error) {
      this.log(
        `${stamp()} Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
      );
      this.log(
        `${stamp()} ${safeText(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`,
      );
      throw error;
    }
  }
}

/** An empty 404, as Azure answers an unknown route or a method the route does not take. */
function notFound(res: ServerResponse) {
  res.writeHead(404, COMMON_HEADERS).end();
}

function sendProblem(res: ServerResponse, problem: Problem) {
  const body = JSON.stringify(problem.body);
  res
    .writeHead(problem.status, {
      ...problem.headers,
      'Content-Length': String(Buffer.byteLength(body)),
    })
    .end(body);
}

/** Bodies the functions take are small JSON (the admin API's `{ "input": "" }`): 1 MiB is ample. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body, unless it announces or streams more than `limit` bytes: then not buffered, and the
 * stream left paused (not destroyed, so the 413 can still be written before the socket closes).
 */
function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<{ kind: 'read'; bytes: Buffer } | { kind: 'too-large' }> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).off('error', reject);
      req.pause();
      resolve({ kind: 'too-large' });
    };
    const onEnd = () => resolve({ kind: 'read', bytes: Buffer.concat(chunks) });
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}
