import { MAX_CHART_DAYS } from '../../../shared/http/chart';
import {
  DASHBOARD_ICON_SVG,
  DashboardOptions,
  DashboardStatus,
  dashboardScriptSource,
  dashboardUrl,
  inlineModules,
  renderDashboardHtml,
  scriptJson,
} from '../../../shared/http/dashboard';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';

const SERIES = skypeP2pMinuteCounts.chartSeries!;
import { attributeUrls, scriptConfig } from '../../support/dashboardPage';

const BASE = '/api/reports/skype-p2p-minute-counts';
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

const HOSTILE_CODES = [
  '"><script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '<!--<script>',
  'a&b=c&code=other#frag',
  'line\u2028separator\u2029',
  'k3y/with+plus==',
  'ünïcødé 🔑',
];

/** A status document as the status endpoint answers it. */
const STATUS: DashboardStatus = {
  healthy: true,
  coverage: { first: '2025-09-03', last: '2026-03-01' },
  newestRefreshDate: '2026-03-01',
  missingDates: { count: 1, latest: ['2026-01-20'] },
  lastRun: null,
  stale: false,
  staleAt: '2026-03-06T00:00:00.000Z',
  historyIndex: 'ready',
  source: { silentSince: null },
};

function render(options: Partial<DashboardOptions> = {}) {
  return renderDashboardHtml({
    basePath: BASE,
    series: SERIES,
    nonce: NONCE,
    today: '2026-03-03',
    ...options,
  });
}

describe('renderDashboardHtml', () => {
  describe('Content-Security-Policy', () => {
    it('is strict, and allows the inline script and style by the response nonce', () => {
      const page = render();
      expect(page.contentSecurityPolicy).toBe(
        "default-src 'none'; img-src 'self'; " +
          `script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; ` +
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(page.headers['Content-Security-Policy']).toBe(page.contentSecurityPolicy);
      expect(page.nonce).toBe(NONCE);
    });

    it('matches every script and style element, the only ones in the page', () => {
      const { html } = render();
      expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script type="module" nonce="${NONCE}">`]);
      expect(html.match(/<style\b[^>]*>/g)).toEqual([`<style nonce="${NONCE}">`]);
    });

    it('needs nothing it forbids: no inline handlers, style attributes or outside resources', () => {
      const { html } = render({ code: 'k', status: STATUS });
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toMatch(/<iframe\b|<object\b|<embed\b|\b(?:src|href)="(?!\/)/i);
      expect(html.match(/<link\b[^>]*>/g)).toEqual([
        expect.stringMatching(/^<link rel="icon" type="image\/svg\+xml" href="\//),
      ]);
      const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)![1]!;
      expect(style).not.toMatch(/@import|url\(|@font-face/);
      expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    });

    it('gets a fresh nonce of at least 128 bits for every response when none is given', () => {
      const nonces = Array.from(
        { length: 5 },
        () => renderDashboardHtml({ basePath: BASE, series: SERIES, today: '2026-03-03' }).nonce,
      );
      expect(new Set(nonces).size).toBe(5);
      for (const nonce of nonces)
        expect(Buffer.from(nonce, 'base64').length).toBeGreaterThanOrEqual(16);
    });

    it.each(["abc'; script-src *", 'short', 'has space in it here', 'quote"quote"quote"'])(
      'refuses the nonce %j, which could rewrite the header',
      (nonce) => {
        expect(() => render({ nonce })).toThrow(RangeError);
      },
    );

    it('comes with headers that keep the key in the page to itself', () => {
      expect(render().headers).toEqual({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': expect.any(String),
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      expect(render().html).toContain('<meta name="referrer" content="no-referrer">');
    });
  });

  describe('links and requests', () => {
    it('links its icon, the home page, the chart, the live report in JSON and CSV for every period, and the history', () => {
      const urls = attributeUrls(render({ code: 'key' }).html);
      expect(urls).toEqual([
        `${BASE}/icon.svg?code=key`,
        '/api/reports/dashboard?code=key',
        `${BASE}/chart?from=2025-12-04&to=2026-03-03&code=key`,
        ...['D7', 'D30', 'D90', 'D180'].flatMap((period) => [
          `${BASE}?period=${period}&format=json&code=key`,
          `${BASE}?period=${period}&format=csv&code=key`,
        ]),
        `${BASE}/history?from=2025-12-04&to=2026-03-03&format=json&code=key`,
        `${BASE}/history?from=2025-12-04&to=2026-03-03&format=csv&code=key`,
      ]);
    });

    it('leaves code out of every URL when the request had none', () => {
      const { html } = render();
      expect(attributeUrls(html).length).toBeGreaterThan(0);
      expect(html).not.toContain('code=');
      expect(scriptConfig(html).code).toBeNull();
    });

    it.each(HOSTILE_CODES)('carries the key %j unchanged into every URL, on this host', (code) => {
      const urls = attributeUrls(render({ code }).html);
      expect(urls).toHaveLength(13);
      for (const url of urls) {
        const parsed = new URL(url, 'http://127.0.0.1:7071');
        expect(parsed.origin).toBe('http://127.0.0.1:7071');
        expect(parsed.pathname.startsWith('/api/reports/')).toBe(true);
        expect(parsed.searchParams.getAll('code')).toEqual([code]);
      }
    });

    it.each(HOSTILE_CODES)('hands the key %j to the script as the same string', (code) => {
      expect(scriptConfig(render({ code }).html).code).toBe(code);
    });

    it.each(HOSTILE_CODES)('lets the key %j open no element and close no script', (code) => {
      const { html } = render({ code });
      expect(html.match(/<script\b/g)).toHaveLength(1);
      expect(html.match(/<\/script>/g)).toHaveLength(1);
      expect(html.match(/<!--/g)).toBeNull();
      // The script element ends where the renderer ended it: after the script's own code.
      expect(html.indexOf('</script>')).toBeGreaterThan(html.indexOf('void loadStatus();'));
    });

    it.each([
      '//evil.example/api',
      'https://evil.example/api',
      '/api/"x',
      'api/reports',
      '/api/reports/',
      '/a b',
    ])('refuses the base path %j', (basePath) => {
      expect(() => render({ basePath })).toThrow(RangeError);
    });

    it('builds URLs with the key last, only when there is one', () => {
      expect(dashboardUrl('/p', { from: '2026-01-01', to: '' }, 'k ey')).toBe(
        '/p?from=2026-01-01&code=k+ey',
      );
      expect(dashboardUrl('/p', {})).toBe('/p');
    });

    it('has the script send every request through one builder that adds the key', () => {
      const script = /<script[^>]*>([\s\S]*)<\/script>/.exec(render().html)![1]!;
      // fetch and img.src only ever receive url(...), which appends config.code.
      expect(script.match(/fetch\((?!\s*url\()/g)).toBeNull();
      expect(script.match(/\.(?:src|href) = (?!url\(|src;)/g)).toBeNull();
      expect(script).toMatch(/if \(config\.code\)\s+query\.set\('code', config\.code\);/);
    });
  });

  describe('status', () => {
    it('is filled in with textContent only', () => {
      const { html } = render();
      expect(html).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
      );
      expect(html).toContain("fetch(url(config.basePath + '/status')");
      expect(html).toMatch(/fetch\(\s*url\(config\.basePath \+ '\/history'/);
    });

    it('known at rendering goes to the script as escaped JSON', () => {
      const status = { ...STATUS, detail: '</script><script>alert(1)</script>' };
      const { html } = render({ status });
      expect(html.match(/<script\b/g)).toHaveLength(1);
      expect(scriptConfig(html).status).toEqual(status);
    });
  });

  describe('range', () => {
    it.each<[string, Partial<DashboardOptions>, string, string, boolean]>([
      ['the 90 days up to today without a status', {}, '2025-12-04', '2026-03-03', true],
      [
        'the 90 days up to the newest refresh',
        { status: STATUS },
        '2025-12-02',
        '2026-03-01',
        false,
      ],
      [
        'the 90 days up to the last date held, before the newest refresh',
        { status: { ...STATUS, coverage: { first: '2025-09-03', last: '2026-02-27' } } },
        '2025-11-30',
        '2026-02-27',
        false,
      ],
      [
        'the range asked for',
        { from: '2026-01-01', to: '2026-01-31', status: STATUS },
        '2026-01-01',
        '2026-01-31',
        false,
      ],
    ])('starts at %s', (_case, options, from, to, followNewest) => {
      const { html } = render(options);
      expect(html).toMatch(
        new RegExp(`<input type="text" id="from" name="from" value="${from}" pattern=`),
      );
      expect(html).toMatch(
        new RegExp(`<input type="text" id="to" name="to" value="${to}" pattern=`),
      );
      expect(html).toContain(`src="${BASE}/chart?from=${from}&amp;to=${to}"`);
      expect(scriptConfig(html)).toMatchObject({
        followNewest,
        rangeDays: 90,
        maxDays: MAX_CHART_DAYS,
      });
    });

    it.each<Partial<DashboardOptions>>([
      { from: '2026-02-01', to: '2026-01-01' },
      { from: '"><script>', to: '2026-01-01' },
      { from: '2015-01-01', to: '2026-01-01' },
      { today: 'yesterday' },
    ])('refuses %j', (options) => {
      expect(() => render(options)).toThrow(RangeError);
    });
  });
});

describe('the page script', () => {
  it('is the browser build of dashboardScript.ts, its figures module inlined, nothing imported', () => {
    const script = dashboardScriptSource();
    expect(script).toContain('const { headlineFigures,');
    expect(script).toContain('function headlineFigures(');
    expect(script).not.toMatch(/^\s*(?:import|export)\b/m);
    expect(script).not.toMatch(/\bdeclare\b|: HTMLElement|<HTMLInputElement>/);
    expect(render().html).toContain(script);
  });

  it('dates the text inputs ask for as YYYY-MM-DD, and offers a daily or weekly chart', () => {
    const { html } = render();
    expect(
      html.match(/pattern="\\d\{4\}-\\d\{2\}-\\d\{2\}" placeholder="YYYY-MM-DD"/g),
    ).toHaveLength(2);
    expect(html).not.toContain('type="date"');
    expect(html).toContain('<input type="radio" name="interval" value="day" checked> Daily');
    expect(html).toContain('<input type="radio" name="interval" value="week"> Weekly');
    const long = render({ from: '2025-01-01', to: '2025-12-31' }).html;
    expect(long).toContain('<input type="radio" name="interval" value="week" checked> Weekly');
  });

  it("hands the definition's chart series to the script", () => {
    expect(scriptConfig(render().html)).toMatchObject({
      series: [
        { key: 'audio', label: 'Audio', unit: 'minutes' },
        { key: 'video', label: 'Video', unit: 'minutes' },
      ],
      weeklyAfterDays: 120,
    });
  });

  it.each([
    ['another import form', "import figures from './chartFigures';\n", {}],
    ['a module not inlined', "import { a } from './other';\n", {}],
    ['an import renamed', "import { a as b } from './x';\n", { './x': 'export const a = 1;\n' }],
    ['a re-export', "import { a } from './x';\n", { './x': "export * from './y';\n" }],
  ])('refuses to inline %s', (_case, main, modules) => {
    expect(() => inlineModules(main, modules)).toThrow();
  });

  it('inlines an import as a scope of its own', () => {
    expect(
      inlineModules("import { a, b } from './x';\nconsole.log(a, b);\nexport {};\n", {
        './x':
          'const hidden = 1;\nexport function a() { return hidden; }\nexport const b = 2;\nexport {};\n',
      }),
    ).toBe(
      'const { a, b } = (() => {\nconst hidden = 1;\nfunction a() { return hidden; }\nconst b = 2;\n\nreturn { a, b };\n})();\nconsole.log(a, b);\n',
    );
  });
});

describe('DASHBOARD_ICON_SVG', () => {
  it('is a small, self-contained SVG', () => {
    expect(DASHBOARD_ICON_SVG).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/,
    );
    expect(DASHBOARD_ICON_SVG).not.toMatch(/href|url\(|<script|<style/);
  });
});

describe('scriptJson', () => {
  it.each([
    ['</script>', '"\\u003c/script\\u003e"'],
    ['<!--', '"\\u003c!--"'],
    ['a&b', '"a\\u0026b"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
  ])('writes %j as %s, which parses back to the same value', (value, json) => {
    expect(scriptJson(value)).toBe(json);
    expect(JSON.parse(scriptJson(value))).toBe(value);
  });
});
