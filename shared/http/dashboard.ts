/**
 * The dashboard: one self-contained HTML page (no external scripts, styles, fonts or images
 * besides the chart this app serves) showing the archive's status, the chart of a date range
 * and links to the data, under a strict Content-Security-Policy.
 *
 * In Azure the page is reached with a function key as `?code=`; the page carries that key into
 * every link and request it makes. The key is untrusted text: it is URL-encoded in URLs,
 * HTML-escaped in attributes and JSON-escaped (with `<`, `>` and `&` as \u escapes) in the
 * script, and whatever the status endpoint answers is inserted with textContent only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addDays, daysBetween, isCalendarDate, utcDate } from '../reports/dates';
import { ChartSeries, REPORT_PERIODS } from '../reports/definitions';
import {
  chartHeight,
  CHART_WIDTH,
  defaultInterval,
  escapeXml,
  MAX_CHART_DAYS,
  WEEKLY_AFTER_DAYS,
} from './chart';
import type { DashboardConfig, DashboardSuccessor } from './dashboardConfig';
import { COMMON_HEADERS } from './headers';
import type { ArchiveStatusDocument } from './statusEndpoint';

/**
 * What `${basePath}/status` answers (see statusEndpoint): the same document with 200 when the
 * archive is healthy and 503 when not, which the page shows as a status, not as a failure.
 */
export type DashboardStatus = ArchiveStatusDocument;

export interface DashboardOptions {
  /** The function key from the request's `?code=`, if any. */
  readonly code?: string;
  /** The report's route, e.g. `/api/reports/skype-p2p-minute-counts`. */
  readonly basePath: string;
  /** What the chart draws and the headline figures sum: the definition's chart series. */
  readonly series: readonly ChartSeries[];
  /** The report's name (its definition's `title`). */
  readonly title?: string;
  /** The home page listing every report, linked from the page's header. */
  readonly homePath?: string;
  /** Where a retired source's readers went, said when Graph reports no activity. */
  readonly successor?: DashboardSuccessor | null;
  /** Status known when rendering; shown at once, then refreshed by the page. */
  readonly status?: DashboardStatus;
  /** A fresh per-response nonce (base64); one is made when absent. */
  readonly nonce?: string;
  /** The chart's first range; by default the 90 days up to the last date held (or `today`). */
  readonly from?: string;
  readonly to?: string;
  /** `YYYY-MM-DD`; by default the current UTC date. */
  readonly today?: string;
}

export const HOME_PATH = '/api/reports/dashboard';

export interface RenderedDashboard {
  readonly html: string;
  readonly nonce: string;
  readonly contentSecurityPolicy: string;
  /** Every header the page needs, the CSP included. */
  readonly headers: Readonly<Record<string, string>>;
}

export const DEFAULT_RANGE_DAYS = 90;

/**
 * The page's icon, for `${basePath}/icon.svg`. Without one the browser asks for /favicon.ico,
 * a request without the key that the CSP's img-src could not serve from data: either.
 */
export const DASHBOARD_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">' +
  '<rect width="16" height="16" rx="3" fill="#1d4ed8"/>' +
  '<path d="M3 12V8h2v4zm4 0V4h2v8zm4 0V6h2v6z" fill="#fff"/></svg>';

/** The range inputs: text, not `type=date`, whose picker shows the browser's locale, not ISO. */
const DATE_INPUT =
  'pattern="\\d{4}-\\d{2}-\\d{2}" placeholder="YYYY-MM-DD" maxlength="10" ' +
  'autocomplete="off" spellcheck="false" required';

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
// A path on this host: a lone leading slash, so `//evil.example` cannot pass as a path.
const BASE_PATH = /^\/(?!\/)[A-Za-z0-9._~/-]*$/;

export function dashboardContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "img-src 'self'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const escapeHtml = escapeXml;

/** HTML for a text whose dates stay on one line each (the page's script does the same). */
export function isoText(text: string): string {
  return escapeHtml(text).replace(
    /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2} UTC)?/g,
    (value) => `<span class="nobr">${value}</span>`,
  );
}

/** The folder holding package.json: the project root, from source (tests) or from dist/. */
function packageRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`No package.json above ${from}.`);
  }
}

/** Where tsconfig.browser.json writes the page script and the one module it imports. */
const BROWSER_BUILD = join('dist', 'browser', 'shared', 'http');
let scriptSource: string | undefined;

/**
 * The page's script as the browser build compiled it (see dashboardScript.ts), with the figures
 * module it imports inlined: read once per process.
 */
export function dashboardScriptSource(): string {
  if (scriptSource !== undefined) return scriptSource;
  const folder = join(packageRoot(__dirname), BROWSER_BUILD);
  const read = (name: string) => {
    const path = join(folder, name);
    if (!existsSync(path)) {
      throw new Error(`The dashboard's script is not built (${path}): run npm run build.`);
    }
    return readFileSync(path, 'utf8');
  };
  scriptSource = inlineModules(read('dashboardScript.js'), {
    './chartFigures': read('chartFigures.js'),
    './statusVerdict': read('statusVerdict.js'),
  });
  return scriptSource;
}

const IMPORT = /^import \{([^}]*)\} from '([^']+)';\n/gm;

/**
 * One script from tsc's ES module output: each `import { a, b } from './x'` of `main` becomes
 * `const { a, b } = (() => { ...x, its exports as declarations...; return { a, b }; })();`,
 * so each module keeps its own scope. Written here rather than with a bundler: two modules of
 * a shape tsc emits, where a bundler would add a build tool and its binaries for 30 lines. What
 * this does not understand (another import form, `export default`, a re-export) is refused, so
 * a change that needs a real bundler fails here, in the build's tests, not in a browser.
 */
export function inlineModules(main: string, modules: Readonly<Record<string, string>>): string {
  const body = main.replace(IMPORT, (_line, list: string, specifier: string) => {
    const source = modules[specifier];
    if (source === undefined) throw new Error(`The page script imports ${specifier}, not inlined.`);
    const names = list
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (names.some((name) => !/^[A-Za-z_$][\w$]*$/.test(name))) {
      throw new Error(`The page script imports ${specifier} in a form not inlined: {${list}}.`);
    }
    const declarations = source
      .replace(/^export \{\};\n?/gm, '')
      .replace(/^export (?=(?:async )?function |const |let |class )/gm, '');
    if (/^\s*(?:import|export)\b/m.test(declarations)) {
      throw new Error(`${specifier} has an import or export the page script cannot inline.`);
    }
    return `const { ${names.join(', ')} } = (() => {\n${declarations}\nreturn { ${names.join(
      ', ',
    )} };\n})();\n`;
  });
  const rest = body.replace(/^export \{\};\n?/gm, '');
  if (/^\s*(?:import|export)\b/m.test(rest)) {
    throw new Error('The page script has an import or export that cannot be inlined.');
  }
  if (/<\/script|<!--/i.test(rest)) throw new Error('The page script could close its element.');
  return rest;
}

/** JSON that can sit inside a <script> element: nothing in it can close or comment the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A same-host URL with its query; the key goes last, and only when there is one. */
export function dashboardUrl(
  path: string,
  params: Readonly<Record<string, string>>,
  code?: string,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  if (code) query.set('code', code);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The last report date the archive holds, else its newest refresh date, if a status says. */
function lastDateHeld(status: DashboardStatus | undefined): string | undefined {
  const last = status?.coverage?.last ?? status?.newestRefreshDate;
  return last && isCalendarDate(last) ? last : undefined;
}

function initialRange(options: DashboardOptions): { from: string; to: string } {
  if (options.from && options.to) {
    if (!isCalendarDate(options.from) || !isCalendarDate(options.to) || options.from > options.to) {
      throw new RangeError('The dashboard range needs two dates as YYYY-MM-DD, in order.');
    }
    if (daysBetween(options.from, options.to) + 1 > MAX_CHART_DAYS) {
      throw new RangeError(`The dashboard range is longer than ${MAX_CHART_DAYS} days.`);
    }
    return { from: options.from, to: options.to };
  }
  const held = lastDateHeld(options.status);
  const to = held ?? options.today ?? utcDate(new Date());
  if (!isCalendarDate(to)) throw new RangeError('today must be a date as YYYY-MM-DD.');
  return { from: addDays(to, 1 - DEFAULT_RANGE_DAYS), to };
}

/** `Daily audio and video minutes from Microsoft Graph, ...`: what the series are, in words. */
function lead(series: readonly ChartSeries[]): string {
  const names = series.map((one) =>
    one.unit === 'count' ? one.label.toLowerCase() : `${one.label.toLowerCase()} ${one.unit}`,
  );
  const list =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return `Daily ${list || 'figures'} from Microsoft Graph, and the archive that keeps them.`;
}

/**
 * Every page's start, up to <body>: the same meta (no referrer, so the key in a URL never leaves
 * in a Referer), the icon (`iconHref` already escaped), the title and the nonce'd style.
 */
export function pageHead(page: {
  title: string;
  nonce: string;
  style: string;
  iconHref?: string;
}): string {
  const icon = page.iconHref
    ? `<link rel="icon" type="image/svg+xml" href="${page.iconHref}">\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
${icon}<title>${escapeHtml(page.title)}</title>
<style nonce="${page.nonce}">${page.style}</style>
</head>`;
}

export function renderDashboardHtml(options: DashboardOptions): RenderedDashboard {
  const { basePath } = options;
  if (!BASE_PATH.test(basePath) || basePath.endsWith('/')) {
    throw new RangeError('basePath must be a path on this host, such as /api/reports/x.');
  }
  const nonce = pageNonce(options.nonce);
  const code = options.code || undefined;
  const range = initialRange(options);
  const url = (path: string, params: Record<string, string> = {}) =>
    escapeHtml(dashboardUrl(path, params, code));

  const series = options.series.map(({ key, label, unit }) => ({ key, label, unit }));
  const config: DashboardConfig = {
    basePath,
    code: code ?? null,
    status: options.status ?? null,
    // When the caller chose no range, the page moves it to end at the newest refresh it learns.
    followNewest: !(options.from && options.to) && !lastDateHeld(options.status),
    rangeDays: DEFAULT_RANGE_DAYS,
    maxDays: MAX_CHART_DAYS,
    weeklyAfterDays: WEEKLY_AFTER_DAYS,
    series,
    successor: options.successor ?? null,
  };
  const title = options.title?.trim() || 'Graph usage report';
  const homePath = options.homePath ?? HOME_PATH;
  if (!BASE_PATH.test(homePath)) throw new RangeError('homePath must be a path on this host.');
  const interval = defaultInterval(range.from, range.to);
  const names = series.map((one) => one.label).join(' and ');
  const radio = (value: string, label: string) =>
    `<label class="choice"><input type="radio" name="interval" value="${value}"${
      value === interval ? ' checked' : ''
    }> ${label}</label>`;

  const liveRows = REPORT_PERIODS.map(
    (period) =>
      `<tr><th scope="row">${period.slice(1)} days</th>` +
      `<td><a data-link="live" href="${url(basePath, { period, format: 'json' })}">JSON</a></td>` +
      `<td><a data-link="live" href="${url(basePath, { period, format: 'csv' })}">CSV</a></td></tr>`,
  ).join('\n');

  const html = `${pageHead({
    title: `${title} · dashboard`,
    nonce,
    style: PAGE_STYLE,
    iconHref: url(`${basePath}/icon.svg`),
  })}
<body>
<header>
<nav aria-label="Reports"><a id="home-link" href="${url(homePath)}">← All reports</a></nav>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${escapeHtml(lead(series))}</p>
</header>
<main>
<section class="card" aria-labelledby="status-heading">
<h2 id="status-heading">Archive status</h2>
<p id="status-state" class="badge" data-state="loading" aria-live="polite">Loading status…</p>
<dl class="facts">
<div><dt>Newest refresh</dt><dd id="status-newest">–</dd></div>
<div><dt>Coverage</dt><dd id="status-coverage">–</dd></div>
<div><dt>Missing days</dt><dd id="status-missing">–</dd><dd id="status-missing-latest" class="aside" hidden></dd></div>
<div><dt>Last snapshot run (UTC)</dt><dd id="status-run">–</dd></div>
</dl>
<p id="status-detail" class="note" hidden></p>
<p id="source-notice" class="notice" role="note" hidden></p>
</section>
<section class="card" aria-labelledby="chart-heading">
<h2 id="chart-heading">Usage over the range</h2>
<form id="range" class="range" novalidate>
<label>From <span class="hint">YYYY-MM-DD</span><input type="text" id="from" name="from" value="${range.from}" ${DATE_INPUT}></label>
<label>To <span class="hint">YYYY-MM-DD</span><input type="text" id="to" name="to" value="${range.to}" ${DATE_INPUT}></label>
<button type="submit">Show</button>
<span class="presets" role="group" aria-label="Recent days">
<button type="button" class="preset" data-days="30">30 d</button>
<button type="button" class="preset" data-days="90">90 d</button>
<button type="button" class="preset" data-days="180">180 d</button>
<button type="button" class="preset" data-days="365">1 y</button>
</span>
<fieldset class="interval"><legend>Chart</legend>${radio('day', 'Daily')}${radio('week', 'Weekly')}</fieldset>
</form>
<p id="range-error" class="error" role="alert" hidden></p>
<div id="figures" class="figures" aria-live="polite" aria-busy="true"></div>
<p id="figures-note" class="note" hidden></p>
<figure id="chart-figure">
<img id="chart" src="${url(`${basePath}/chart`, range)}" width="${CHART_WIDTH}" height="${chartHeight(series)}" alt="Chart of ${escapeHtml(names)} per ${interval === 'week' ? 'ISO week' : 'day'}, ${range.from} to ${range.to}.">
<figcaption id="chart-error" class="error" hidden>The chart could not be loaded.</figcaption>
</figure>
<p class="note">Dates are report dates, as Graph gives them; weeks are ISO weeks (Monday to Sunday); times are UTC.</p>
</section>
<section class="card" aria-labelledby="data-heading">
<h2 id="data-heading">Data</h2>
<div class="downloads">
<table>
<caption>Live report from Graph</caption>
${liveRows}
</table>
<table>
<caption>Archived history</caption>
<tr><th scope="row" id="history-range">${isoText(`${range.from} to ${range.to}`)}</th>
<td><a id="history-json" data-link="history" href="${url(`${basePath}/history`, { ...range, format: 'json' })}">JSON</a></td>
<td><a id="history-csv" data-link="history" href="${url(`${basePath}/history`, { ...range, format: 'csv' })}">CSV</a></td></tr>
</table>
</div>
</section>
</main>
<script type="module" nonce="${nonce}">
var DASHBOARD = ${scriptJson(config)};
${dashboardScriptSource()}
</script>
</body>
</html>
`;

  return renderedPage(html, nonce);
}

/** A page of this app (a dashboard, the home page) with its CSP and headers. */
export function renderedPage(html: string, nonce: string): RenderedDashboard {
  const contentSecurityPolicy = dashboardContentSecurityPolicy(nonce);
  return {
    html,
    nonce,
    contentSecurityPolicy,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy,
      // The page's URLs carry the function key; no other site may learn them.
      'Referrer-Policy': 'no-referrer',
      ...COMMON_HEADERS,
      // The nonce is per response, and the key is in the page.
      'Cache-Control': 'no-store',
    },
  };
}

/** A fresh per-response nonce, or the caller's once checked. */
export function pageNonce(given?: string): string {
  const nonce = given ?? randomBytes(18).toString('base64');
  if (!NONCE.test(nonce)) throw new RangeError('The nonce must be at least 16 base64 characters.');
  return nonce;
}

export const PAGE_STYLE = `
:root{--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--accent:#1d4ed8;--ok:#166534;--ok-bg:#dcfce7;--warn:#92400e;--warn-bg:#fef3c7;--bad:#991b1b;--bad-bg:#fee2e2}
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif}
header,main{max-width:980px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 4px}
.lead{margin:0 0 16px;color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 16px}
h2{font-size:1.125rem;margin:0 0 12px}
.badge{display:inline-block;margin:0 0 12px;padding:2px 12px;border-radius:999px;font-weight:600;background:#e5e7eb}
.badge[data-state=healthy]{background:var(--ok-bg);color:var(--ok)}
.badge[data-state=stale]{background:var(--warn-bg);color:var(--warn)}
.badge[data-state=error]{background:var(--bad-bg);color:var(--bad)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:8px 24px;margin:0}
.facts dt{color:var(--muted);font-size:.875rem}
.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.nobr{white-space:nowrap}
.facts dd.aside{font-weight:normal;font-size:.875rem;color:var(--muted)}
.note{margin:12px 0 0;color:var(--muted)}
.notice{margin:12px 0 0;padding:8px 12px;border-left:4px solid var(--warn);background:var(--warn-bg);color:var(--ink)}
nav{margin:0 0 8px}
.range{display:flex;flex-wrap:wrap;align-items:end;gap:8px 12px;margin:0 0 12px}
.range label{display:flex;flex-direction:column;font-size:.875rem;color:var(--muted)}
.range .hint{font-size:.75rem}
input[type=text]{width:8.5em}
.interval{display:flex;gap:4px 12px;align-items:center;border:0;margin:0;padding:0}
.interval legend{float:left;margin-right:4px;font-size:.875rem;color:var(--muted)}
.range .choice{flex-direction:row;align-items:center;gap:4px;font-size:1rem;color:var(--ink)}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin:0 0 12px}
.figures[aria-busy=true]{opacity:.45}
.figure{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.figure h3{font-size:1rem;margin:0 0 6px}
.figure dl{margin:0;display:grid;gap:2px}
.figure dl div{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 12px}
.figure dt{color:var(--muted);font-size:.875rem}
.figure dd{margin:0;font-weight:600}
.figure dd[data-figure=total]{font-size:1.25rem}
input,button{font:inherit;color:inherit}
input{padding:5px 8px;border:1px solid #9ca3af;border-radius:6px;background:#fff}
button{padding:6px 14px;border:1px solid var(--accent);border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
button.preset{background:#fff;color:var(--accent);padding:6px 10px}
.presets{display:flex;gap:6px}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.error{color:var(--bad);margin:0 0 12px}
figure{margin:0}
#chart{display:block;width:100%;height:auto;border-radius:6px;transition:opacity .2s}
figure[aria-busy=true] #chart{opacity:.45}
.downloads{display:flex;flex-wrap:wrap;align-items:flex-start;gap:16px 48px}
table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:0 0 4px;white-space:nowrap}
th,td{text-align:left;padding:4px 16px 4px 0;border-top:1px solid var(--line);font-weight:normal}
a{color:var(--accent)}
@media (max-width:560px){.card{padding:12px}h1{font-size:1.25rem}.downloads{flex-direction:column}}
`;
