import {
  count,
  describeReport,
  duration,
  REFRESH_DATE,
  REPORT_DATE,
  REPORT_PERIOD,
} from '../../shared/reports/catalogue/common';
import { addDays } from '../../shared/reports/dates';
import { periodDays, type ReportPeriod } from '../../shared/reports/definitions';
import { formatDuration } from '../../shared/reports/duration';
import { graphCsv, type CatalogueSample } from '../../tools/graphSimulator/catalogueSamples';
import { SIMULATED_REPORTS } from '../../tools/graphSimulator/server';

/**
 * "Add a report" (README), done in a test: a report that is not in the catalogue, described
 * the way a new one is (one `describeReport`) and served by the Graph simulator from one sample.
 * The suites that hold every catalogued report to every guarantee take it too: nothing else is
 * needed for it to be fetched, parsed, archived, indexed, charted and described.
 */
export const exampleReport = describeReport({
  graphFunction: 'getExampleWidgetCounts',
  routeSlug: 'example-widget-counts',
  title: 'Example widgets',
  columns: [
    REFRESH_DATE,
    REPORT_DATE,
    count('Widgets', 'widgets'),
    duration('Widget Time', 'widgetTime'),
    REPORT_PERIOD,
  ],
  chartSeries: [
    { key: 'widgets', label: 'Widgets', unit: 'count' },
    { key: 'widgetTime', label: 'Widget time', unit: 'minutes' },
  ],
});

/** Its one line in the simulator: a small rhythm, durations as Graph writes them. */
export const exampleSample: CatalogueSample = {
  definition: exampleReport,
  csv: (period: ReportPeriod, refreshDate: string) => {
    const days = periodDays(period);
    const rows = Array.from({ length: days }, (_, index) => {
      const reportDate = addDays(refreshDate, index - days + 1);
      const widgets = 10 + ((index * 7) % 13);
      return {
        reportRefreshDate: refreshDate,
        reportDate,
        widgets,
        widgetTime: formatDuration(widgets * 90),
        reportPeriod: String(days),
      };
    });
    return graphCsv(exampleReport, rows);
  },
};

/** What the simulator serves when a suite adds the example: the catalogue and the example. */
export const REPORTS_WITH_EXAMPLE = [...SIMULATED_REPORTS, exampleSample];
