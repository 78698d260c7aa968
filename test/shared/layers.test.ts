import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const shared = join(root, 'shared');

/** The shared/ folders a source file imports, by `import`, `import()` or `require()`. */
function foldersImported(text: string): string[] {
  const found = text.matchAll(/(?:from\s+|import\(|require\()'\.\.\/([a-z]+)[/']/gi);
  return [...found].map((match) => match[1]!);
}

/** Folder → the other shared/ folders its files import. */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const folder of readdirSync(shared)) {
    const edges = new Set<string>();
    for (const file of readdirSync(join(shared, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const other of foldersImported(readFileSync(join(shared, folder, file), 'utf8'))) {
        if (other !== folder) edges.add(other);
      }
    }
    graph.set(folder, edges);
  }
  return graph;
}

describe('the folders of shared/', () => {
  const graph = importGraph();

  it('leave building and connecting services to shared/app: no other folder imports it', () => {
    const importers = [...graph].filter(([, edges]) => edges.has('app')).map(([folder]) => folder);
    expect(importers).toEqual([]);
  });

  it('never import each other', () => {
    const mutual = [...graph].flatMap(([folder, edges]) =>
      [...edges]
        .filter((other) => graph.get(other)?.has(folder))
        .map((other) => `${folder}↔${other}`),
    );
    expect(mutual).toEqual([]);
  });
});

/**
 * ESLint's Node API on snippets, in a child Node: it loads eslint.config.mjs with a dynamic
 * import, which jest's module sandbox refuses. One process lints every case.
 */
const LINT_SNIPPETS = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
Promise.all(cases.map(async ({ file, code }) => {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.map((message) => message.ruleId + ': ' + message.message);
})).then((found) => process.stdout.write(JSON.stringify(found)));
`;

type Snippet = readonly [what: string, file: string, code: string];

function lintSnippets(cases: readonly Snippet[]): string[][] {
  const output = execFileSync(process.execPath, ['-e', LINT_SNIPPETS], {
    cwd: root,
    input: JSON.stringify(cases.map(([, file, code]) => ({ file: join(root, file), code }))),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

const violations: Snippet[] = [
  [
    'an endpoint finding its services itself',
    'shared/http/example.ts',
    "import { historyReaders } from '../app/services';\nexport const x = historyReaders;\n",
  ],
  [
    'the archive reaching the composition root',
    'shared/archive/example.ts',
    "import { ownGraphClient } from '../app/services';\nexport const x = ownGraphClient;\n",
  ],
  [
    'a lower folder importing a higher one back',
    'shared/storage/example.ts',
    "import { SnapshotArchive } from '../archive/blobArchive';\nexport const x = SnapshotArchive;\n",
  ],
  [
    'the same, by dynamic import',
    'shared/cache/example.ts',
    "export const load = () => import('../app/services');\n",
  ],
  [
    'the Functions runtime in shared/',
    'shared/http/example.ts',
    "import { app } from '@azure/functions';\nexport const x = app;\n",
  ],
];

const allowed: Snippet[] = [
  [
    'the composition root building from every folder',
    'shared/app/example.ts',
    "import { HistoryReaders } from '../archive/historyReader';\nimport { serveChart } from '../http/chartEndpoint';\nexport const x = [HistoryReaders, serveChart];\n",
  ],
  [
    'an endpoint using the archive it is handed',
    'shared/http/example.ts',
    "import type { HistoryReaders } from '../archive/historyReader';\nexport type X = HistoryReaders;\n",
  ],
  [
    'an adapter using the composition root',
    'functions/example.ts',
    "import { historyReaders } from '../shared/app/services';\nexport const x = historyReaders;\n",
  ],
];

/** Every folder but app, importing app: a folder added to shared/ without a layer would pass. */
const everyFolder: Snippet[] = readdirSync(shared)
  .filter((folder) => folder !== 'app')
  .map((folder) => [
    `shared/${folder} importing the composition root`,
    `shared/${folder}/example.ts`,
    "import { servicesFor } from '../app/services';\nexport const x = servicesFor;\n",
  ]);

describe('the ESLint layering rule (eslint.config.mjs)', () => {
  let found: string[][];
  beforeAll(() => {
    found = lintSnippets([...violations, ...allowed, ...everyFolder]);
  }, 60_000);

  it.each(
    everyFolder.map(
      (snippet, index) => [snippet[0], violations.length + allowed.length + index] as const,
    ),
  )('fails %s: every folder has its layer', (_, index) => {
    expect(found[index]).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
  });

  it.each(violations.map((snippet, index) => [snippet[0], index] as const))(
    'fails %s',
    (_, index) => {
      expect(found[index]).toEqual([
        expect.stringMatching(/^no-restricted-(imports|syntax): .*(shared\/|Functions runtime)/),
      ]);
    },
  );

  it.each(allowed.map((snippet, index) => [snippet[0], violations.length + index] as const))(
    'allows %s',
    (_, index) => {
      expect(found[index]).toEqual([]);
    },
  );
});
