import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTags, JestReport, taggedFiles, tagPattern } from '../../bench/figures';
import { memoryOf, sandboxedEnvironment } from '../../bench/processes';
import { hostileClass } from '../../bench/report';

describe('counting tagged tests', () => {
  const report: JestReport = {
    testResults: [
      {
        name: 'a.test.ts',
        assertionResults: [
          {
            ancestorTitles: ['endpoint', 'when Graph fails [graph-fault]'],
            title: 'retries 500',
            status: 'passed',
          },
          {
            ancestorTitles: ['endpoint', 'when Graph fails [graph-fault]'],
            title: 'answers 502',
            status: 'failed',
          },
          {
            ancestorTitles: ['endpoint'],
            title: 'rejects period=D1 [bad-input]',
            status: 'passed',
          },
          {
            ancestorTitles: ['endpoint'],
            title: 'rejects period=D365 [bad-input]',
            status: 'passed',
          },
          { ancestorTitles: ['endpoint'], title: 'answers D7', status: 'passed' },
          { ancestorTitles: ['endpoint'], title: 'skipped one [bad-input]', status: 'pending' },
        ],
      },
      {
        name: '/work/repo/test/tools/localHost/b.test.ts',
        assertionResults: [
          { ancestorTitles: [], title: 'a 404 [bad-input] [graph-fault]', status: 'passed' },
        ],
      },
    ],
  };

  it('counts a test under a tag in its title or in a describe around it; a skipped one not at all', () => {
    expect(countTags(report, ['bad-input', 'graph-fault'])).toEqual([
      {
        tag: 'bad-input',
        passed: 3,
        failed: 0,
        failures: [],
        byClass: { 'request parameters': 2, 'HTTP at the local host': 1 },
      },
      {
        tag: 'graph-fault',
        passed: 2,
        failed: 1,
        failures: ['endpoint › when Graph fails [graph-fault] › answers 502'],
        byClass: { "Graph's answers": 2 },
      },
    ]);
  });

  it.each([
    ['bad-input', 'test/tools/localHost/hostAnswers.test.ts', 'HTTP at the local host'],
    ['bad-input', 'test/shared/cache/reportCache.test.ts', 'tampered storage'],
    ['bad-input', 'test/functions/skypeP2pMinuteCounts.test.ts', 'request parameters'],
    ['graph-fault', 'test/tools/localHost/hostAnswers.test.ts', "Graph's answers"],
  ])('files a [%s] test in %s under %s', (tag, file, name) => {
    expect(hostileClass(tag, `/repo/${file}`)).toBe(name);
  });

  it('asks jest for exactly the tagged tests, by their full names', () => {
    const pattern = new RegExp(tagPattern(['bad-input', 'graph-fault']));
    expect(pattern.test('endpoint when Graph fails [graph-fault] retries 500')).toBe(true);
    expect(pattern.test('endpoint rejects period=D1 [bad-input]')).toBe(true);
    expect(pattern.test('endpoint bad-input without brackets')).toBe(false);
    expect(pattern.test('endpoint [other-tag]')).toBe(false);
  });

  it('runs only the test files that mention a tag', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tagged-'));
    try {
      mkdirSync(join(folder, 'deep'));
      writeFileSync(join(folder, 'deep', 'one.test.ts'), "it('x [bad-input]', () => {});");
      writeFileSync(join(folder, 'two.test.ts'), "it('x', () => {});");
      writeFileSync(join(folder, 'helper.ts'), '// [graph-fault]');
      expect(taggedFiles(folder, ['bad-input', 'graph-fault'])).toEqual([
        join(folder, 'deep', 'one.test.ts'),
      ]);
      expect(taggedFiles(folder, ['bad-input'], ['deep'])).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the processes a benchmark starts', () => {
  it("get none of the user's Graph, storage, identity or cache settings", () => {
    const foreign = {
      GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
      AZURE_CLIENT_SECRET: 'secret',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      REPORT_CACHE_SECONDS: '5',
      SNAPSHOT_CONTAINER: 'real',
    };
    const saved = Object.fromEntries(Object.keys(foreign).map((name) => [name, process.env[name]]));
    Object.assign(process.env, foreign);
    try {
      const env = sandboxedEnvironment({ SNAPSHOT_CONTAINER: 'bench' });
      for (const name of [
        'GRAPH_BASE_URL',
        'AZURE_CLIENT_SECRET',
        'AzureWebJobsStorage',
        'REPORT_CACHE_SECONDS',
      ])
        expect(env[name]).toBeUndefined();
      expect(env.SNAPSHOT_CONTAINER).toBe('bench');
      expect(env.NO_PROXY).toContain('127.0.0.1');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('have their memory read from /proc, in MiB', () => {
    const memory = memoryOf(process.pid)!;
    expect(memory.rssMiB).toBeGreaterThan(10);
    expect(memory.peakMiB).toBeGreaterThanOrEqual(memory.rssMiB);
    expect(memoryOf(2 ** 22 + 12345)).toBeUndefined();
  });
});
