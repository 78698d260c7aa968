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
import { addDays, daysBetween } from '../reports/dates';
import { COMMON_HEADERS } from './headers';
import { REPORT_PERIODS } from '../reports/definitions';
import { escapeXml, isIsoDate, MAX_CHART_DAYS } from './chart';
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
  return last && isIsoDate(last) ? last : undefined;
}

function initialRange(options: DashboardOptions): { from: string; to: string } {
  if (options.from && options.to) {
    if (!isIsoDate(options.from) || !isIsoDate(options.to) || options.from > options.to) {
      throw new RangeError('The dashboard range needs two dates as YYYY-MM-DD, in order.');
    }
    if (daysBetween(options.from, options.to) + 1 > MAX_CHART_DAYS) {
      throw new RangeError(`The dashboard range is longer than ${MAX_CHART_DAYS} days.`);
    }
    return { from: options.from, to: options.to };
  }
  const held = lastDateHeld(options.status);
  const to = held ?? options.today ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDate(to)) throw new RangeError('today must be a date as YYYY-MM-DD.');
  return { from: addDays(to, 1 - DEFAULT_RANGE_DAYS), to };
}

export function renderDashboardHtml(options: DashboardOptions): RenderedDashboard {
  const { basePath } = options;
  if (!BASE_PATH.test(basePath) || basePath.endsWith('/')) {
    throw new RangeError('basePath must be a path on this host, such as /api/reports/x.');
  }
  const nonce = options.nonce ?? randomBytes(18).toString('base64');
  if (!NONCE.test(nonce)) throw new RangeError('The nonce must be at least 16 base64 characters.');
  const code = options.code || undefined;
  const range = initialRange(options);
  const url = (path: string, params: Record<string, string> = {}) =>
    escapeHtml(dashboardUrl(path, params, code));

  const config = {
    basePath,
    code: code ?? null,
    status: options.status ?? null,
    // When the caller chose no range, the page moves it to end at the newest refresh it learns.
    followNewest: !(options.from && options.to) && !lastDateHeld(options.status),
    rangeDays: DEFAULT_RANGE_DAYS,
    maxDays: MAX_CHART_DAYS,
  };

  const liveRows = REPORT_PERIODS.map(
    (period) =>
      `<tr><th scope="row">${period.slice(1)} days</th>` +
      `<td><a data-link="live" href="${url(basePath, { period, format: 'json' })}">JSON</a></td>` +
      `<td><a data-link="live" href="${url(basePath, { period, format: 'csv' })}">CSV</a></td></tr>`,
  ).join('\n');

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<link rel="icon" type="image/svg+xml" href="${url(`${basePath}/icon.svg`)}">
<title>Peer-to-peer minutes · dashboard</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1>Skype for Business peer-to-peer minutes</h1>
<p class="lead">Daily audio and video minutes from Microsoft Graph, and the archive that keeps them.</p>
</header>
<main>
<section class="card" aria-labelledby="status-heading">
<h2 id="status-heading">Archive status</h2>
<p id="status-state" class="badge" data-state="loading" aria-live="polite">Loading status…</p>
<dl class="facts">
<div><dt>Newest refresh</dt><dd id="status-newest">–</dd></div>
<div><dt>Coverage</dt><dd id="status-coverage">–</dd></div>
<div><dt>Missing days</dt><dd id="status-missing">–</dd><dd id="status-missing-latest" class="aside" hidden></dd></div>
<div><dt>Last snapshot run</dt><dd id="status-run">–</dd></div>
</dl>
<p id="status-detail" class="note" hidden></p>
</section>
<section class="card" aria-labelledby="chart-heading">
<h2 id="chart-heading">Minutes per day</h2>
<form id="range" class="range" novalidate>
<label>From <input type="date" id="from" name="from" value="${range.from}" required></label>
<label>To <input type="date" id="to" name="to" value="${range.to}" required></label>
<button type="submit">Show</button>
<span class="presets" role="group" aria-label="Recent days">
<button type="button" class="preset" data-days="30">30 d</button>
<button type="button" class="preset" data-days="90">90 d</button>
<button type="button" class="preset" data-days="180">180 d</button>
<button type="button" class="preset" data-days="365">1 y</button>
</span>
</form>
<p id="range-error" class="error" role="alert" hidden></p>
<figure id="chart-figure">
<img id="chart" src="${url(`${basePath}/chart`, range)}" width="800" height="450" alt="Chart of audio and video minutes per day, ${range.from} to ${range.to}">
<figcaption id="chart-error" class="error" hidden>The chart could not be loaded.</figcaption>
</figure>
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
<tr><th scope="row" id="history-range">${range.from} to ${range.to}</th>
<td><a id="history-json" data-link="history" href="${url(`${basePath}/history`, { ...range, format: 'json' })}">JSON</a></td>
<td><a id="history-csv" data-link="history" href="${url(`${basePath}/history`, { ...range, format: 'csv' })}">CSV</a></td></tr>
</table>
</div>
</section>
</main>
<script nonce="${nonce}">
var DASHBOARD = ${scriptJson(config)};
${SCRIPT}
</script>
</body>
</html>
`;

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

const STYLE = `
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
.facts dd.aside{font-weight:normal;font-size:.875rem;color:var(--muted)}
.note{margin:12px 0 0;color:var(--muted)}
.range{display:flex;flex-wrap:wrap;align-items:end;gap:8px 12px;margin:0 0 12px}
.range label{display:flex;flex-direction:column;font-size:.875rem;color:var(--muted)}
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

/**
 * The page's behaviour, in plain ES2017 so it runs as written. `DASHBOARD` is the escaped
 * configuration above it. No value from the key or the status answer is ever parsed as HTML.
 */
const SCRIPT = String.raw`(function () {
  'use strict';
  var config = DASHBOARD;
  var DAY = 86400000;
  var byId = function (id) { return document.getElementById(id); };
  var form = byId('range'), fromInput = byId('from'), toInput = byId('to');
  var img = byId('chart'), figure = byId('chart-figure');
  var userChoseRange = false;

  function url(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (name) {
      if (params[name]) query.set(name, params[name]);
    });
    if (config.code) query.set('code', config.code);
    var text = query.toString();
    return text ? path + '?' + text : path;
  }
  function addDays(date, days) {
    return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY).toISOString().slice(0, 10);
  }
  function isDate(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && !isNaN(Date.parse(value + 'T00:00:00Z')) &&
      addDays(value, 0) === value;
  }
  function show(id, text) {
    var element = byId(id);
    element.textContent = text;
    element.hidden = !text;
  }

  function setRange(from, to) {
    fromInput.value = from;
    toInput.value = to;
    var src = url(config.basePath + '/chart', { from: from, to: to });
    if (img.getAttribute('src') !== src) {
      figure.setAttribute('aria-busy', 'true');
      show('chart-error', '');
      img.alt = 'Chart of audio and video minutes per day, ' + from + ' to ' + to;
      img.src = src;
    }
    byId('history-range').textContent = from + ' to ' + to;
    byId('history-json').href = url(config.basePath + '/history', { from: from, to: to, format: 'json' });
    byId('history-csv').href = url(config.basePath + '/history', { from: from, to: to, format: 'csv' });
  }

  img.addEventListener('load', function () { figure.removeAttribute('aria-busy'); });
  img.addEventListener('error', function () {
    figure.removeAttribute('aria-busy');
    show('chart-error', 'The chart could not be loaded.');
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var from = fromInput.value, to = toInput.value;
    if (!isDate(from) || !isDate(to)) return show('range-error', 'Choose two dates.');
    if (from > to) return show('range-error', 'The first date must not be after the second.');
    if ((Date.parse(to) - Date.parse(from)) / DAY + 1 > config.maxDays) {
      return show('range-error', 'Choose at most ' + config.maxDays + ' days.');
    }
    show('range-error', '');
    userChoseRange = true;
    setRange(from, to);
  });

  Array.prototype.forEach.call(document.querySelectorAll('button.preset'), function (button) {
    button.addEventListener('click', function () {
      var to = isDate(toInput.value) ? toInput.value : new Date().toISOString().slice(0, 10);
      show('range-error', '');
      userChoseRange = true;
      setRange(addDays(to, 1 - Number(button.getAttribute('data-days'))), to);
    });
  });

  function text(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  function object(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }
  function spans(dates) {
    var out = [];
    dates.slice().sort().forEach(function (date) {
      var last = out[out.length - 1];
      if (last && addDays(last[1], 1) === date) last[1] = date;
      else out.push([date, date]);
    });
    return out.map(function (span) { return span[0] === span[1] ? span[0] : span[0] + ' to ' + span[1]; });
  }
  /** An ISO 8601 instant as "2026-11-28 06:00 UTC"; anything else as it came. */
  function when(value) {
    var match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[\d:.]*Z$/.exec(text(value));
    return match ? match[1] + ' ' + match[2] + ' UTC' : text(value);
  }

  // The status document's verdict: healthy, else its reason (see shared/archive/status.ts).
  var VERDICTS = {
    healthy: ['healthy', '✓ Healthy'],
    stale: ['stale', '⚠ Stale'],
    empty: ['stale', '⚠ Nothing archived yet'],
    'last-run-failed': ['error', '✗ Last snapshot run failed'],
    'storage-unavailable': ['error', '✗ Storage unavailable']
  };

  function renderStatus(status) {
    status = object(status);
    var reason = status.healthy === true ? 'healthy' : text(status.reason);
    var verdict = Object.prototype.hasOwnProperty.call(VERDICTS, reason) ? VERDICTS[reason]
      : ['error', '✗ Unhealthy' + (reason ? ': ' + reason : '')];
    var badge = byId('status-state');
    badge.setAttribute('data-state', verdict[0]);
    badge.textContent = verdict[1];

    var newest = text(status.newestRefreshDate);
    byId('status-newest').textContent = isDate(newest) ? newest : 'none yet';

    var coverage = object(status.coverage);
    var first = text(coverage.first), last = text(coverage.last);
    byId('status-coverage').textContent = isDate(first) && isDate(last)
      ? first + ' to ' + last + ' (' + ((Date.parse(last) - Date.parse(first)) / DAY + 1) + ' days)'
      : 'nothing archived';

    var missing = object(status.missingDates);
    var count = typeof missing.count === 'number' ? missing.count : 0;
    var latest = Array.isArray(missing.latest) ? missing.latest.filter(isDate) : [];
    byId('status-missing').textContent = String(count);
    show('status-missing-latest', latest.length
      ? (count > latest.length ? 'the latest: ' : '') + spans(latest).join(', ') : '');

    var run = status.lastRun ? object(status.lastRun) : null;
    byId('status-run').textContent = run
      ? (run.succeeded === true ? 'succeeded, ' : 'failed, ') + when(run.finishedAt)
      : 'none yet';

    var details = [];
    if (reason === 'stale') {
      details.push('No data newer than ' + newest + ' has arrived; it turned stale at ' +
        when(status.staleAt) + '.');
    } else if (reason === 'empty') {
      details.push('The snapshot job has not archived anything yet.');
    } else if (reason === 'last-run-failed') {
      details.push('The last snapshot run failed' + (run && text(run.error) ? ': ' + text(run.error) : '.'));
    } else if (reason === 'storage-unavailable') {
      details.push(text(status.detail) || 'The archive could not be read.');
    }
    if (status.historyIndex === 'missing' || status.historyIndex === 'unreadable') {
      details.push('The history index is ' + (status.historyIndex === 'missing' ? 'being built' : 'unreadable') +
        ': the chart and the history answer once the next snapshot run has written it.');
    }
    show('status-detail', details.join(' '));

    if (config.followNewest && !userChoseRange && isDate(last) && last !== toInput.value) {
      setRange(addDays(last, 1 - config.rangeDays), last);
    }
  }

  function statusFailed(message) {
    var badge = byId('status-state');
    badge.setAttribute('data-state', 'error');
    badge.textContent = 'Status unavailable';
    show('status-detail', 'The status could not be loaded (' + message + ').');
  }

  if (config.status) renderStatus(config.status);
  fetch(url(config.basePath + '/status'), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store'
  }).then(function (response) {
    var json = /json/i.test(response.headers.get('Content-Type') || '');
    return (json ? response.json() : Promise.resolve(null)).then(null, function () { return null; })
      .then(function (body) {
        // Unhealthy is a 503 with the same document: a status to show, not a failure.
        if (body && typeof body.healthy === 'boolean') return renderStatus(body);
        statusFailed(body && typeof body.detail === 'string' ? body.detail : 'HTTP ' + response.status);
      });
  }).then(null, function (error) {
    statusFailed(text(error && error.message) || 'no answer');
  });
})();`;
