/**
 * The dashboard page's behaviour, in the browser. Compiled by tsconfig.browser.json (DOM types,
 * ES modules) into dist/browser/, and inlined by dashboard.ts into the page as one module script
 * under the response's nonce, together with chartFigures (the only module it imports).
 *
 * `DASHBOARD` is the escaped configuration the page declares before this code. No value from the
 * key, the status or the history is ever parsed as HTML: everything goes in as textContent.
 */
import {
  headlineFigures,
  previousRange,
  seriesPhrases,
  figuresSentence,
  type FigureRow,
} from './chartFigures';
import type { DashboardConfig } from './dashboardConfig';
import { statusVerdict } from './statusVerdict';

declare const DASHBOARD: DashboardConfig;

type Interval = 'day' | 'week';

const config = DASHBOARD;
const DAY = 86_400_000;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element as T;
}

const form = byId<HTMLFormElement>('range');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const img = byId<HTMLImageElement>('chart');
const figure = byId('chart-figure');
let userChoseRange = false;
/** The interval the user picked for the range shown; null follows the range's length. */
let chosenInterval: Interval | null = null;
/** Which figures request is current: an older answer arriving late is dropped. */
let figuresRequest = 0;

/** Every request the page makes goes through here, which adds the key. */
function url(path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  if (config.code) query.set('code', config.code);
  const text = query.toString();
  return text ? path + '?' + text : path;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY).toISOString().slice(0, 10);
}

function isDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !isNaN(Date.parse(value + 'T00:00:00Z')) &&
    addDays(value, 0) === value
  );
}

function lengthOf(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY + 1;
}

function defaultInterval(from: string, to: string): Interval {
  return lengthOf(from, to) > config.weeklyAfterDays ? 'week' : 'day';
}

/** A date, a week or a UTC time: never broken across lines (see the .nobr style). */
const VALUE = /(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2} UTC)?|\d{4}-W\d{2})/;

/** Sets the element's text, each date or time in it kept on one line. */
function setText(element: HTMLElement, text: string): void {
  element.textContent = '';
  text.split(VALUE).forEach((part, index) => {
    if (!part) return;
    if (index % 2 === 1) {
      const span = document.createElement('span');
      span.className = 'nobr';
      span.textContent = part;
      element.append(span);
    } else element.append(part);
  });
}

function show(id: string, text: string): void {
  const element = byId(id);
  setText(element, text);
  element.hidden = !text;
}

function currentInterval(from: string, to: string): Interval {
  return chosenInterval ?? defaultInterval(from, to);
}

function chartAlt(from: string, to: string, interval: Interval): string {
  const names = config.series.map((series) => series.label).join(' and ');
  return `Chart of ${names} per ${interval === 'week' ? 'ISO week' : 'day'}, ${from} to ${to}.`;
}

function setRange(from: string, to: string): void {
  fromInput.value = from;
  toInput.value = to;
  const interval = currentInterval(from, to);
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=interval]')) {
    radio.checked = radio.value === interval;
  }
  // The chart's own default is the same rule: only a choice against it goes into the URL.
  const params: Record<string, string> = { from, to };
  if (interval !== defaultInterval(from, to)) params.interval = interval;
  const src = url(config.basePath + '/chart', params);
  if (img.getAttribute('src') !== src) {
    figure.setAttribute('aria-busy', 'true');
    show('chart-error', '');
    img.alt = chartAlt(from, to, interval);
    img.src = src;
  }
  setText(byId('history-range'), from + ' to ' + to);
  byId<HTMLAnchorElement>('history-json').href = url(config.basePath + '/history', {
    from,
    to,
    format: 'json',
  });
  byId<HTMLAnchorElement>('history-csv').href = url(config.basePath + '/history', {
    from,
    to,
    format: 'csv',
  });
  void loadFigures(from, to);
}

img.addEventListener('load', () => figure.removeAttribute('aria-busy'));
img.addEventListener('error', () => {
  figure.removeAttribute('aria-busy');
  show('chart-error', 'The chart could not be loaded.');
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = fromInput.value.trim();
  const to = toInput.value.trim();
  if (!isDate(from) || !isDate(to)) return show('range-error', 'Enter two dates as YYYY-MM-DD.');
  if (from > to) return show('range-error', 'The first date must not be after the second.');
  if (lengthOf(from, to) > config.maxDays) {
    return show('range-error', 'Choose at most ' + config.maxDays + ' days.');
  }
  show('range-error', '');
  userChoseRange = true;
  chosenInterval = null;
  setRange(from, to);
});

for (const button of document.querySelectorAll<HTMLButtonElement>('button.preset')) {
  button.addEventListener('click', () => {
    const to = isDate(toInput.value) ? toInput.value : new Date().toISOString().slice(0, 10);
    show('range-error', '');
    userChoseRange = true;
    chosenInterval = null;
    setRange(addDays(to, 1 - Number(button.getAttribute('data-days'))), to);
  });
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=interval]')) {
  radio.addEventListener('change', () => {
    if (!radio.checked || !isDate(fromInput.value) || !isDate(toInput.value)) return;
    chosenInterval = radio.value === 'week' ? 'week' : 'day';
    setRange(fromInput.value, toInput.value);
  });
}

// ---- Headline figures, from the history JSON of the range and the range before it ----

function isRow(value: unknown): value is FigureRow {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function renderFigures(
  from: string,
  to: string,
  current: HistoryAnswer,
  before: HistoryAnswer,
): void {
  const previous = previousRange(from, to);
  const figures = headlineFigures(config.series, from, to, current.rows, before.rows, [
    ...current.missing,
    ...before.missing,
  ]);
  const list = byId('figures');
  list.textContent = '';
  for (const series of figures.series) {
    const phrases = seriesPhrases(series);
    const card = document.createElement('section');
    card.className = 'figure';
    card.setAttribute('data-series', series.key);
    const heading = document.createElement('h3');
    heading.textContent = `${series.label} ${series.unit}`;
    const facts = document.createElement('dl');
    const rowsOfCard: Array<[string, string, string]> = [
      ['total', 'Total', phrases.total],
      ['per-working-day', 'Per working day (Mon–Fri held)', phrases.perWorkingDay],
      ['busiest', 'Busiest day', phrases.busiest],
      ['change', `Change against ${previous.from} to ${previous.to}`, phrases.change],
    ];
    for (const [name, label, value] of rowsOfCard) {
      const wrapper = document.createElement('div');
      const term = document.createElement('dt');
      setText(term, label);
      const detail = document.createElement('dd');
      detail.setAttribute('data-figure', name);
      setText(detail, value);
      wrapper.append(term, detail);
      facts.append(wrapper);
    }
    card.append(heading, facts);
    list.append(card);
  }
  show('figures-note', '');
  list.setAttribute('data-range', from + '/' + to);
  img.alt = chartAlt(from, to, currentInterval(from, to)) + ' ' + figuresSentence(figures);
}

interface HistoryAnswer {
  readonly rows: FigureRow[];
  readonly missing: string[];
}

/** The history JSON of a range: its rows and the dates the archive lacks. */
async function history(from: string, to: string): Promise<HistoryAnswer> {
  const response = await fetch(url(config.basePath + '/history', { from, to, format: 'json' }), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
  });
  const body: unknown = /json/i.test(response.headers.get('Content-Type') ?? '')
    ? await response.json().catch(() => null)
    : null;
  const answer = isRow(body) ? body : {};
  if (!response.ok || !Array.isArray(answer.value)) {
    const detail = typeof answer.detail === 'string' ? answer.detail : '';
    throw new Error(detail || 'HTTP ' + response.status);
  }
  const missing = Array.isArray(answer.missingDates)
    ? answer.missingDates.filter((date): date is string => typeof date === 'string')
    : [];
  return { rows: answer.value.filter(isRow), missing };
}

/**
 * The range and the range of the same length before it, as two requests (together they could
 * be longer than one history request may ask for).
 */
async function loadFigures(from: string, to: string): Promise<void> {
  const request = ++figuresRequest;
  const list = byId('figures');
  list.setAttribute('aria-busy', 'true');
  const previous = previousRange(from, to);
  try {
    const [current, before] = await Promise.all([
      history(from, to),
      history(previous.from, previous.to),
    ]);
    if (request !== figuresRequest) return;
    renderFigures(from, to, current, before);
  } catch (error) {
    if (request !== figuresRequest) return;
    byId('figures').textContent = '';
    show(
      'figures-note',
      'The figures could not be loaded (' +
        (error instanceof Error ? error.message : 'no answer') +
        ').',
    );
  } finally {
    if (request === figuresRequest) list.removeAttribute('aria-busy');
  }
}

// ---- Status ----

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function spans(dates: string[]): string[] {
  const out: Array<[string, string]> = [];
  for (const date of dates.slice().sort()) {
    const last = out[out.length - 1];
    if (last && addDays(last[1], 1) === date) last[1] = date;
    else out.push([date, date]);
  }
  return out.map(([first, last]) => (first === last ? first : first + ' to ' + last));
}

/** An ISO 8601 instant as "2026-11-28 06:00 UTC"; anything else as it came. */
function when(value: unknown): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[\d:.]*Z$/.exec(text(value));
  return match ? match[1] + ' ' + match[2] + ' UTC' : text(value);
}

function renderStatus(value: unknown): void {
  const status = object(value);
  const reason = status.healthy === true ? 'healthy' : text(status.reason);
  const verdict = statusVerdict(status);
  const badge = byId('status-state');
  badge.setAttribute('data-state', verdict.state);
  badge.textContent = verdict.text;

  const newest = text(status.newestRefreshDate);
  setText(byId('status-newest'), isDate(newest) ? newest : 'none yet');

  const coverage = object(status.coverage);
  const first = text(coverage.first);
  const last = text(coverage.last);
  setText(
    byId('status-coverage'),
    isDate(first) && isDate(last)
      ? first + ' to ' + last + ' (' + lengthOf(first, last) + ' days)'
      : 'nothing archived',
  );

  const missing = object(status.missingDates);
  const count = typeof missing.count === 'number' ? missing.count : 0;
  const latest = Array.isArray(missing.latest)
    ? missing.latest.filter((date): date is string => typeof date === 'string' && isDate(date))
    : [];
  byId('status-missing').textContent = String(count);
  show(
    'status-missing-latest',
    latest.length ? (count > latest.length ? 'the latest: ' : '') + spans(latest).join(', ') : '',
  );

  const run = status.lastRun ? object(status.lastRun) : null;
  setText(
    byId('status-run'),
    run ? (run.succeeded === true ? 'succeeded, ' : 'failed, ') + when(run.finishedAt) : 'none yet',
  );

  const details: string[] = [];
  if (reason === 'stale') {
    details.push(
      'No data newer than ' +
        newest +
        ' has arrived; it turned stale at ' +
        when(status.staleAt) +
        '.',
    );
  } else if (reason === 'empty') {
    details.push('The snapshot job has not archived anything yet.');
  } else if (reason === 'last-run-failed') {
    details.push(
      'The last snapshot run failed' + (run && text(run.error) ? ': ' + text(run.error) : '.'),
    );
  } else if (reason === 'storage-unavailable') {
    details.push(text(status.detail) || 'The archive could not be read.');
  }
  if (status.historyIndex === 'missing' || status.historyIndex === 'unreadable') {
    details.push(
      'The history index is ' +
        (status.historyIndex === 'missing' ? 'being built' : 'unreadable') +
        ': the chart and the history answer once the next snapshot run has written it.',
    );
  }
  show('status-detail', details.join(' '));
  const silentSince = text(object(status.source).silentSince);
  renderSourceNotice(isDate(silentSince) ? silentSince : null);

  if (config.followNewest && !userChoseRange && isDate(last) && last !== toInput.value) {
    setRange(addDays(last, 1 - config.rangeDays), last);
  }
}

/**
 * A silent source, said rather than hidden: Graph answers, but with nothing but zeros (or no rows)
 * since the date; for a retired source, where its readers went, linked when this app serves it.
 */
function renderSourceNotice(silentSince: string | null): void {
  const notice = byId('source-notice');
  notice.textContent = '';
  notice.hidden = silentSince === null;
  if (silentSince === null) return;
  setText(notice, 'Graph has reported no activity since ' + silentSince + '.');
  const successor = config.successor;
  if (!successor) return;
  notice.append(' ' + successor.note + ': see ');
  if (successor.dashboardPath) {
    const link = document.createElement('a');
    link.id = 'successor-link';
    link.href = url(successor.dashboardPath);
    link.textContent = successor.routeSlug;
    notice.append(link);
  } else notice.append(successor.routeSlug);
  notice.append('.');
}

function statusFailed(message: string): void {
  const badge = byId('status-state');
  badge.setAttribute('data-state', 'error');
  badge.textContent = 'Status unavailable';
  show('status-detail', 'The status could not be loaded (' + message + ').');
}

async function loadStatus(): Promise<void> {
  try {
    const response = await fetch(url(config.basePath + '/status'), {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const json = /json/i.test(response.headers.get('Content-Type') ?? '');
    const body = object(json ? await response.json().catch(() => null) : null);
    // Unhealthy is a 503 with the same document: a status to show, not a failure.
    if (typeof body.healthy === 'boolean') return renderStatus(body);
    statusFailed(typeof body.detail === 'string' ? body.detail : 'HTTP ' + response.status);
  } catch (error) {
    statusFailed((error instanceof Error && error.message) || 'no answer');
  }
}

if (config.status) renderStatus(config.status);
if (isDate(fromInput.value) && isDate(toInput.value)) {
  void loadFigures(fromInput.value, toInput.value);
}
void loadStatus();
