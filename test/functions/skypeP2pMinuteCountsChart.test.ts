import { skypeP2pMinuteCountsChartHandler } from '../support/skypeP2pHandlers';
import { useArchiveSuite } from '../support/archive';
import { handlerCaller } from '../support/functions';
import { expectLoggedRefusal } from '../support/problems';

const { run } = useArchiveSuite('2026-11-26');
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts/chart';

const call = handlerCaller(skypeP2pMinuteCountsChartHandler, 'skypeP2pMinuteCountsChart', ROUTE);

describe('the skypeP2pMinuteCountsChart function', () => {
  it('draws the archive from the settings, passing the range and If-None-Match through', async () => {
    await run();
    const response = await call('?from=2026-11-20&to=2026-11-26&code=function-key');
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('image/svg+xml; charset=utf-8');
    expect(String(response.body)).toContain(
      '<title id="chart-title">Audio and Video minutes per day, 2026-11-20 to 2026-11-26</title>',
    );
    const again = await call('?from=2026-11-20&to=2026-11-26', {
      'If-None-Match': response.headers.ETag!,
    });
    expect(again.status).toBe(304);
  });

  it('answers a bad parameter with a 400 problem, logged as a warning', async () => {
    expectLoggedRefusal(await call('?from=2026-11-26&to=2026-11-20'), 'from');
  });
});
