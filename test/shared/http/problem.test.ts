import {
  BadRequestError,
  ConfigError,
  CredentialError,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
} from '../../../shared/common/errors';
import { FetchInProgressError } from '../../../shared/cache/reportCache';
import { MAX_DETAIL_CHARS, makeProblem, problemFor } from '../../../shared/http/problem';

describe('problem documents', () => {
  it.each([
    ['a bad parameter', new BadRequestError('period', 'bad'), 400],
    ['a configuration error', new ConfigError('GRAPH_BASE_URL', 'bad'), 500],
    ['throttling', new GraphThrottledError('slow down', 5), 503],
    ['a timeout', new GraphTimeoutError('late'), 504],
    ['a credential failure', new CredentialError('no token'), 502],
    ['a refused token', new GraphAuthError(401, 'refused'), 502],
    ['an unusable report', new ReportFormatError('drift'), 502],
    ['an unusable answer', new GraphBadResponseError('odd'), 502],
    ['an unexpected failure', new Error('bug'), 500],
  ])('%s is problem+json, never cached, never sniffed as another type', (_case, error, status) => {
    const problem = problemFor(error);
    expect(problem.status).toBe(status);
    expect(problem.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('shows control characters in a detail escaped, never raw', () => {
    const problem = problemFor(new GraphBadResponseError('Graph said "a\r\nb\u0000"'));
    expect(problem.body.detail).toBe('Graph said "a\\r\\nb\\u0000"');
  });

  it('cuts a detail at MAX_DETAIL_CHARS, whatever the error message holds', () => {
    const problem = problemFor(new ReportFormatError(`drift: ${'c'.repeat(10_000)}`));
    expect(problem.body.detail).toMatch(/…\[\+\d+ chars\]$/);
    expect(problem.body.detail.length).toBeLessThan(MAX_DETAIL_CHARS + 20);
  });

  it('builds a problem of another kind with the same headers and bounds', () => {
    const problem = makeProblem(400, 'bad-request', 'Bad request', 'Bad "x\ty".', { field: 'x' });
    expect(problem).toEqual({
      status: 400,
      headers: {
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
      body: {
        type: 'urn:graph-usage-reports:problem:bad-request',
        title: 'Bad request',
        status: 400,
        detail: 'Bad "x\\ty".',
        field: 'x',
      },
    });
  });
});

describe('Retry-After given to callers', () => {
  it.each([
    [Number('99999999999999999999'), '3600'],
    [Number.POSITIVE_INFINITY, '3600'],
    [7200, '3600'],
    [0, '1'],
    [-5, '1'],
    [0.2, '1'],
    [42, '42'],
  ])('Graph asking for %s seconds is passed on as %s (defect 9) [graph-fault]', (asked, told) => {
    const problem = problemFor(new GraphThrottledError('slow down', asked));
    expect(problem.headers['Retry-After']).toBe(told);
    expect(problem.body.detail).toContain(`Try again in ${told} s.`);
  });
});

describe('a fetch lock another instance holds', () => {
  it('is a 503 lock-unavailable problem, not "throttling" (defect 7) [graph-fault]', () => {
    const problem = problemFor(new FetchInProgressError(1));
    expect(problem.status).toBe(503);
    expect(problem.body.type).toBe('urn:graph-usage-reports:problem:lock-unavailable');
    expect(problem.body.title).not.toMatch(/throttl/i);
    expect(problem.headers['Retry-After']).toBe('1');
  });
});
