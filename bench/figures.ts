import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readOptions } from '../tools/args';
import { projectRoot } from '../tools/projectRoot';
import { writeFormatted, writeJson } from './files';
import { replaceSection } from './readme';
import {
  BenchResults,
  LoadResults,
  performanceTable,
  reliabilityTable,
  Tag,
  hostileClass,
  TagCount,
  TAGS,
  TestCounts,
} from './report';
import { scratchFolder } from './processes';

/**
 * `npm run figures [-- --reuse-tests]`: rewrites the README's Performance and Reliability tables
 * from what the suites counted, never from numbers typed by hand:
 * - Performance: bench/results/latest.json, as the last full `npm run bench` wrote it;
 * - Reliability: the tests tagged `[bad-input]` and `[graph-fault]` (in a test's title or a
 *   describe around it), run now with jest --json, and bench/results/load.json from the last
 *   `npm run bench:load`. --reuse-tests takes the counts the last run kept in
 *   bench/results/tests.json instead of running jest.
 * Exits 1 if a tagged test fails: a figure the suite cannot stand behind is not printed as held.
 */

/** The jest --json fields counted here. */
export interface JestReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly {
      readonly ancestorTitles: readonly string[];
      readonly title: string;
      readonly status: string;
    }[];
  }[];
}

export function tagPattern(tags: readonly string[]): string {
  return `\\[(${tags.join('|')})\\]`;
}

/** Passed and failed tests under each tag; a skipped or pending test counts for neither. */
export function countTags(report: JestReport, tags: readonly string[]): TagCount[] {
  return tags.map((tag) => {
    const marker = `[${tag}]`;
    let passed = 0;
    const failures: string[] = [];
    const byClass: Record<string, number> = {};
    for (const file of report.testResults) {
      for (const test of file.assertionResults) {
        const titles = [...test.ancestorTitles, test.title];
        if (!titles.some((title) => title.includes(marker))) continue;
        if (test.status === 'passed') {
          passed++;
          const name = hostileClass(tag, file.name);
          byClass[name] = (byClass[name] ?? 0) + 1;
        } else if (test.status === 'failed') failures.push(titles.join(' › '));
      }
    }
    return { tag, passed, failed: failures.length, failures, byClass };
  });
}

/**
 * Test files that mention a tag at all: the only ones jest needs to run. `skip` names folders
 * to leave out (the tests of this counting, whose fixtures mention tags too).
 */
export function taggedFiles(
  folder: string,
  tags: readonly string[],
  skip: readonly string[] = [],
): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(entry.name)) found.push(...taggedFiles(path, tags, skip));
    } else if (entry.name.endsWith('.test.ts')) {
      const text = readFileSync(path, 'utf8');
      if (tags.some((tag) => text.includes(`[${tag}]`))) found.push(path);
    }
  }
  return found.sort();
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

function runTaggedTests(root: string): TestCounts {
  const tags = Object.keys(TAGS) as Tag[];
  const files = taggedFiles(join(root, 'test'), tags, ['bench']);
  const scratch = scratchFolder('figures-');
  try {
    const output = join(scratch.path, 'jest.json');
    console.log(`Running the tagged tests in ${files.length} files...`);
    spawnSync(
      process.execPath,
      [
        require.resolve('jest/bin/jest', { paths: [root] }),
        '--json',
        '--outputFile',
        output,
        '--testNamePattern',
        tagPattern(tags),
        ...files,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const report = readJson<JestReport>(output);
    if (!report) throw new Error('jest wrote no results; see its output above.');
    return {
      generatedAt: new Date().toISOString(),
      files: files.map((file) => relative(root, file)),
      tags: countTags(report, tags),
    };
  } finally {
    scratch.remove();
  }
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv, {
    'reuse-tests': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (options.help) {
    console.log(
      'npm run figures [-- --reuse-tests]\n' +
        "  Rewrites README.md's Performance and Reliability tables from bench/results/*.json and\n" +
        '  the tests tagged [bad-input] and [graph-fault] (run now, or reused with --reuse-tests).',
    );
    return 0;
  }
  const root = projectRoot();
  const results = join(root, 'bench', 'results');
  const bench = readJson<BenchResults>(join(results, 'latest.json'));
  const load = readJson<LoadResults>(join(results, 'load.json'));
  const testsFile = join(results, 'tests.json');
  let tests: TestCounts | undefined;
  if (options['reuse-tests']) {
    tests = readJson<TestCounts>(testsFile);
    if (!tests) throw new Error(`--reuse-tests: ${relative(root, testsFile)} does not exist yet.`);
  } else {
    tests = runTaggedTests(root);
    await writeJson(testsFile, tests);
  }

  const readmePath = join(root, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  readme = replaceSection(
    readme,
    'performance',
    bench ? performanceTable(bench) : 'Not measured yet: run `npm run bench`.',
  );
  readme = replaceSection(readme, 'reliability', reliabilityTable(tests, load));
  await writeFormatted(readmePath, readme);
  for (const { tag, passed, failed } of tests.tags)
    console.log(`[${tag}]: ${passed} passed, ${failed} failed`);
  console.log(
    `README.md updated from ${bench ? 'latest.json' : 'no bench run'}, ${load ? 'load.json' : 'no load run'} and the tagged tests.`,
  );
  const failures = tests.tags.flatMap((tag) => tag.failures);
  if (failures.length > 0) {
    console.error(`Tagged tests failed:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        `npm run figures failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
