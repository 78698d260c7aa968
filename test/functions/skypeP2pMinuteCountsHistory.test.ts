import { skypeP2pMinuteCountsHistoryHandler } from '../support/skypeP2pHandlers';
import { useArchiveSuite } from '../support/archive';
import { handlerCaller } from '../support/functions';
import { expectLoggedRefusal } from '../support/problems';

const { run } = useArchiveSuite('2026-11-26');
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts/history';

const call = handlerCaller(
  skypeP2pMinuteCountsHistoryHandler,
  'skypeP2pMinuteCountsHistory',
  ROUTE,
);

describe('the skypeP2pMinuteCountsHistory function', () => {
  it('serves the archive from the settings, passing If-None-Match through', async () => {
    await run();
    const response = await call('?from=2026-11-20&to=2026-11-26');
    expect(response.status).toBe(200);
    const body = JSON.parse(String(response.body)) as { value: unknown[]; missingDates: string[] };
    expect(body.value).toHaveLength(7);
    expect(body.missingDates).toEqual([]);
    const again = await call('?from=2026-11-20&to=2026-11-26', {
      'If-None-Match': response.headers.ETag!,
    });
    expect(again.status).toBe(304);
  });

  it('answers a bad parameter with a 400 problem, logged as a warning', async () => {
    expectLoggedRefusal(await call('?to=tomorrow'), 'to');
  });
});
