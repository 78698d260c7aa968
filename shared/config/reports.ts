import { ConfigError } from '../common/errors';
import { CATALOGUE } from '../reports/catalogue';
import type { ServedReportDefinition } from '../reports/definitions';
import { textSetting, Settings } from './values';

/**
 * REPORTS: which of the catalogue's reports this app serves and archives, as comma-separated
 * route slugs (`all`, the default, is every one). Registration reads it once at startup: a report
 * not listed has no routes and no snapshot timer. An unknown slug is a ConfigError naming it, so
 * a typo fails the deployment's startup loudly rather than silently dropping a report.
 */
export function readEnabledReports(settings: Settings): ServedReportDefinition[] {
  const raw = textSetting(settings, 'REPORTS');
  if (raw.toLowerCase() === 'all') return [...CATALOGUE];
  const wanted = new Set<string>();
  for (const part of raw.split(',')) {
    const slug = part.trim().toLowerCase();
    if (slug === '') continue;
    if (!CATALOGUE.some((definition) => definition.routeSlug === slug)) {
      throw new ConfigError(
        'REPORTS',
        `"${slug.slice(0, 100)}" is not a report of the catalogue; use \`all\` or some of ${CATALOGUE.map((definition) => definition.routeSlug).join(', ')}.`,
      );
    }
    wanted.add(slug);
  }
  if (wanted.size === 0) {
    throw new ConfigError('REPORTS', 'lists no report; use `all` or some of the catalogue.');
  }
  // The catalogue's order, whatever the setting's: the first report first, always the same.
  return CATALOGUE.filter((definition) => wanted.has(definition.routeSlug));
}
