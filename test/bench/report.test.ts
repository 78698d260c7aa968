import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markers, replaceSection } from '../../bench/readme';
import {
  BenchResults,
  bytesText,
  formatGoal,
  formatRatio,
  Goal,
  goalMet,
  LoadResults,
  performanceTable,
  reliabilityTable,
  TestCounts,
} from '../../bench/report';
import { projectRoot } from '../support/processes';

const machine = { cpu: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux 6', loadAverage: 0.5 };

describe('goals', () => {
  it.each<[number, Goal, boolean]>([
    [0.5, { at: 'least', value: 0.5 }, true],
    [0.49, { at: 'least', value: 0.5 }, false],
    [1.15, { at: 'most', value: 1.15 }, true],
    [1.16, { at: 'most', value: 1.15 }, false],
    [1, { at: 'exactly', value: 1 }, true],
    [2, { at: 'exactly', value: 1 }, false],
    [0, { at: 'exactly', value: 1 }, false],
  ])('%p against %j: met %p', (ratio, goal, met) => {
    expect(goalMet(ratio, goal)).toBe(met);
  });

  it('prints goals and ratios for people', () => {
    expect(formatGoal({ at: 'least', value: 0.5 })).toBe('≥ 0.5');
    expect(formatGoal({ at: 'most', value: 1.15 })).toBe('≤ 1.15');
    expect(formatGoal({ at: 'exactly', value: 1 })).toBe('= 1');
    expect([1, 0.456, 12.34, Number.NaN].map(formatRatio)).toEqual(['1', '0.46', '12.3', 'n/a']);
    expect([512, 1024 * 1024, 1024 ** 3, 1536].map(bytesText)).toEqual([
      '512 bytes',
      '1 MiB',
      '1 GiB',
      '1.5 KiB',
    ]);
  });
});

describe('the performance table', () => {
  const results = (holds: boolean): BenchResults => ({
    suite: 'bench',
    generatedAt: '2026-12-04T10:00:00.000Z',
    quick: false,
    machine,
    rows: [
      {
        id: '1',
        measure: 'Cached throughput',
        ours: '6,000 req/s',
        reference: '10,000 req/s',
        ratio: 0.6,
        goal: { at: 'least', value: 0.5 },
      },
      { id: '5a', measure: 'Peak RSS', ours: '90 MiB', reference: '' },
    ],
    invariants: [{ name: 'one call', holds, detail: holds ? '1 call' : '7 calls' }],
    details: {},
  });

  it('names the machine and the date, and marks each goal met or missed', () => {
    const table = performanceTable(results(true));
    expect(table).toContain('Run of 2026-12-04 on Test CPU, 2 cores, Node.js v20.0.0');
    expect(table).toContain(
      '| 1 | Cached throughput | 6,000 req/s | 10,000 req/s | 0.60 | ≥ 0.5 | met |',
    );
    expect(table).toContain('| 5a | Peak RSS | 90 MiB | — | — | — | — |');
    expect(table).toContain('All 1 invariants held (one call).');
  });

  it('says which invariant broke, and why', () => {
    expect(performanceTable(results(false))).toContain('Broken invariants: one call (7 calls).');
  });
});

describe('the reliability table', () => {
  const tests: TestCounts = {
    generatedAt: '2026-12-04T10:00:00.000Z',
    files: [],
    tags: [
      { tag: 'bad-input', passed: 30, failed: 0, failures: [] },
      { tag: 'graph-fault', passed: 40, failed: 1, failures: ['x'] },
    ],
  };

  it('counts the tagged tests that passed of those tried', () => {
    const table = reliabilityTable(tests, undefined);
    expect(table).toMatch(/Bad inputs tried.*\| 30 of 30 \| tests tagged \[bad-input\]/);
    expect(table).toMatch(/Graph faults tried.*\| 40 of 41 \| tests tagged \[graph-fault\]/);
    expect(table).toContain('not measured yet');
  });

  it('takes load, storage kills and the largest download from the load run', () => {
    const load: LoadResults = {
      suite: 'load',
      generatedAt: '2026-12-04T10:00:00.000Z',
      quick: false,
      machine,
      chaos: { seed: 1 },
      connections: 100,
      load: {
        requests: 123_456,
        seconds: 150,
        perSecond: 823,
        non2xx: 0,
        serverErrors: 0,
        errors: 0,
        timeouts: 0,
        statuses: { '200': 123_456 },
        latencyP50Ms: 10,
        latencyP99Ms: 90,
        latencyMaxMs: 3000,
      },
      graphCalls: { count: 9, budget: 10 },
      faultsInjected: { throttle: 3, serverError: 2, slow: 1 },
      rss: { startMiB: 80, endMiB: 95, peakMiB: 120 },
      oversize: {
        offeredBytes: 1024 ** 3,
        limitBytes: 1024 ** 2,
        status: 502,
        ms: 40,
        rssGrowthMiB: 3,
      },
      storageKills: { kills: 5, runsBroken: 4, recovered: 5, lost: 0 },
      invariants: [],
    };
    const table = reliabilityTable(tests, load);
    expect(table).toContain('| Snapshots lost | 0 |');
    expect(table).toContain('5 of 5 Azurite SIGKILLs as a run stored (4 broke the run)');
    expect(table).toContain('123,456 requests at c=100 over 150 s');
    expect(table).toContain('(3 throttle, 2 serverError, 1 slow)');
    expect(table).toContain('9 Graph calls (budget 10 per 10 min)');
    expect(table).toContain('1 GiB streamed without Content-Length (limit 1 MiB): answered 502');
  });
});

describe("the README's generated sections", () => {
  const text = ['# Title', 'before', markers('x').start, 'old', markers('x').end, 'after'].join(
    '\n',
  );

  it('replaces what is between the markers and nothing else', () => {
    expect(replaceSection(text, 'x', 'new\ncontent\n')).toBe(
      ['# Title', 'before', markers('x').start, 'new\ncontent', markers('x').end, 'after'].join(
        '\n',
      ),
    );
  });

  it.each([
    ['missing', 'y', text],
    ['reversed', 'x', [markers('x').end, markers('x').start].join('\n')],
    ['doubled', 'x', `${text}\n${markers('x').start}\n${markers('x').end}`],
  ])('refuses markers %s', (_case, name, input) => {
    expect(() => replaceSection(input, name, 'new')).toThrow(/exactly one/);
  });

  it.each(['performance', 'reliability'])('README.md holds the %s section once', (name) => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    expect(() => replaceSection(readme, name, 'x')).not.toThrow();
  });
});
