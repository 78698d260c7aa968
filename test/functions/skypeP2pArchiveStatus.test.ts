import { skypeP2pArchiveStatusHandler } from '../support/skypeP2pHandlers';
import { useArchiveSuite } from '../support/archive';
import { getRequest } from '../support/functions';
import { testContext } from '../support/logs';

// Today's data, so the archive is fresh by the real clock the function reads.
const today = new Date().toISOString().slice(0, 10);
const { run } = useArchiveSuite(today);
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts/status';

async function call() {
  const { context } = testContext('skypeP2pArchiveStatus');
  const response = await skypeP2pArchiveStatusHandler(getRequest(ROUTE), context);
  return { status: response.status, document: JSON.parse(String(response.body)) as object };
}

describe('the skypeP2pArchiveStatus function', () => {
  it('answers 503 for an empty archive and 200 once a run has filled it', async () => {
    expect(await call()).toMatchObject({ status: 503, document: { reason: 'empty' } });
    await run();
    expect(await call()).toMatchObject({
      status: 200,
      document: { healthy: true, newestRefreshDate: today, lastRun: { succeeded: true } },
    });
  });
});
