import { GraphBadResponseError } from '../../../shared/common/errors';
import {
  ERROR_TABLE,
  ErrorTable,
  StaleDecision,
  staleDecisionFor,
} from '../../../shared/common/errorTable';
import { ONE_OF_EACH_KIND } from '../../support/errors';

/** What the report cache may do when it meets an error of each kind. */
const STALE_BY_KIND: Record<keyof ErrorTable, StaleDecision> = {
  config: { serve: 'never' },
  'bad-request': { serve: 'never' },
  credential: { serve: 'never' },
  unauthorized: { serve: 'never' },
  storage: { serve: 'never' },
  'archive-not-ready': { serve: 'never' },
  throttled: { serve: 'stale-after-error', fwdStatus: 429 },
  'call-budget-spent': { serve: 'stale-hit', detail: 'budget' },
  'lock-unavailable': { serve: 'stale-hit', detail: 'lock-wait' },
  timeout: { serve: 'stale-after-error', fwdStatus: 504 },
  'bad-report-format': { serve: 'stale-after-error', fwdStatus: 200, detail: 'invalid-report' },
  'bad-upstream-response': { serve: 'stale-after-error', fwdStatus: 502 },
};

describe('the error table', () => {
  it.each(Object.values(ONE_OF_EACH_KIND))('lets the cache answer %s stale or not', (error) => {
    expect(staleDecisionFor(error)).toEqual(expect.objectContaining(STALE_BY_KIND[error.kind]));
  });

  it("forwards Graph's own status for an unusable answer that has one", () => {
    expect(staleDecisionFor(new GraphBadResponseError('odd', 500))).toMatchObject({
      serve: 'stale-after-error',
      fwdStatus: 500,
    });
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
