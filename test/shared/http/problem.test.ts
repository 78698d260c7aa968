import {
  ErrorKind,
  GraphBadResponseError,
  GraphThrottledError,
  ReportFormatError,
} from '../../../shared/common/errors';
import { FetchInProgressError } from '../../../shared/cache/reportCache';
import { MAX_DETAIL_CHARS, makeProblem, problemFor } from '../../../shared/http/problem';
import { ONE_OF_EACH_KIND } from '../../support/errors';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  'bad-request': 400,
  config: 500,
  throttled: 503,
  'call-budget-spent': 503,
  'lock-unavailable': 503,
  timeout: 504,
  credential: 502,
  unauthorized: 502,
  'bad-report-format': 502,
  'bad-upstream-response': 502,
  'archive-not-ready': 503,
  storage: 503,
};

describe('problem documents', () => {
  it.each([
    ...Object.values(ONE_OF_EACH_KIND).map((error) => [error, STATUS_BY_KIND[error.kind]] as const),
    [new Error('bug'), 500] as const,
  ])('%s is problem+json, never cached, never sniffed as another type', (error, status) => {
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
