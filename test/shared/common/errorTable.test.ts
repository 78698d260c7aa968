import { CallBudgetSpentError, FetchInProgressError } from '../../../shared/cache/reportCache';
import {
  ArchiveNotReadyError,
  BadRequestError,
  ConfigError,
  CredentialError,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
  ServiceError,
  StorageError,
} from '../../../shared/common/errors';
import { ERROR_TABLE, ErrorTable, staleDecisionFor } from '../../../shared/common/errorTable';

/** One error of every kind, and what the report cache may do when it meets it. */
const EVERY_KIND: [ServiceError, ReturnType<typeof staleDecisionFor>][] = [
  [new ConfigError('GRAPH_BASE_URL', 'bad'), { serve: 'never' }],
  [new BadRequestError('period', 'bad'), { serve: 'never' }],
  [new CredentialError('no token'), { serve: 'never' }],
  [new GraphAuthError(403, 'refused'), { serve: 'never' }],
  [new StorageError('down'), { serve: 'never' }],
  [new ArchiveNotReadyError('building', 900), { serve: 'never' }],
  [new GraphThrottledError('slow down', 5), { serve: 'stale-after-error', fwdStatus: 429 }],
  [new CallBudgetSpentError(14, 30), { serve: 'stale-hit', detail: 'budget' }],
  [new FetchInProgressError(2), { serve: 'stale-hit', detail: 'lock-wait' }],
  [new GraphTimeoutError('late'), { serve: 'stale-after-error', fwdStatus: 504 }],
  [
    new ReportFormatError('drift'),
    { serve: 'stale-after-error', fwdStatus: 200, detail: 'invalid-report' },
  ],
  [new GraphBadResponseError('odd', 500), { serve: 'stale-after-error', fwdStatus: 500 }],
  [new GraphBadResponseError('odd redirect'), { serve: 'stale-after-error', fwdStatus: 502 }],
];

describe('the error table', () => {
  it('has a row for every kind, and the cases below cover every row', () => {
    const kinds = new Set(EVERY_KIND.map(([error]) => error.kind));
    expect([...kinds].sort()).toEqual(Object.keys(ERROR_TABLE).sort());
  });

  it.each(EVERY_KIND)('lets the cache answer %s stale as %p', (error, decision) => {
    expect(staleDecisionFor(error)).toEqual(expect.objectContaining(decision));
  });

  it('never lets the cache answer stale over a failure none of our types describe', () => {
    expect(staleDecisionFor(new Error('bug'))).toEqual({ serve: 'never' });
  });

  it('does not compile without a row for a kind', () => {
    const rows: { -readonly [K in keyof ErrorTable]?: ErrorTable[K] } = { ...ERROR_TABLE };
    delete rows.storage;
    // @ts-expect-error: rows that may lack a kind's row are not an ErrorTable.
    const incomplete: ErrorTable = rows;
    expect(incomplete).not.toHaveProperty('storage');
  });
});
