import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which shared/ folders each one may import: a layering, so no folder imports one that imports it
 * back, and only the composition root (app) builds and connects services (no folder imports it;
 * each is handed what it uses). A request enters through functions/ (or tools/), which may use
 * any of them. A deliberate violation fails: test/shared/layers.test.ts lints one of each kind,
 * e.g. `import { historyReaders } from '../app/services'` in shared/http.
 */
const SHARED_LAYERS = {
  common: [],
  reports: ['common'],
  config: ['common', 'reports'],
  graph: ['common', 'config', 'reports'],
  storage: ['common', 'config'],
  cache: ['common', 'config', 'reports', 'storage'],
  archive: ['common', 'config', 'reports', 'storage', 'cache', 'graph'],
  http: ['common', 'config', 'reports', 'storage', 'cache', 'graph', 'archive'],
  app: ['common', 'config', 'reports', 'storage', 'cache', 'graph', 'archive', 'http'],
};

/** One config per folder: what it may not import, by `import`, `import()` or `require()`. */
function layerRules(folder, allowed) {
  const forbidden = Object.keys(SHARED_LAYERS).filter(
    (other) => other !== folder && !allowed.includes(other),
  );
  const message = `shared/${folder} may import only ${allowed.join(', ') || 'nothing else in shared/'} (eslint.config.mjs: only shared/app connects services; no two folders import each other).`;
  const rules = {
    // shared/ is free of the Functions runtime: functions/ adapts it.
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: '@azure/functions', message: 'shared/ never uses the Functions runtime.' }],
        patterns: forbidden.length
          ? [
              {
                group: forbidden.flatMap((other) => [
                  `../${other}`,
                  `../${other}/*`,
                  `**/shared/${other}`,
                  `**/shared/${other}/*`,
                ]),
                message,
              },
            ]
          : [],
      },
    ],
  };
  if (forbidden.length) {
    // esquery regexes cannot hold a slash: \x2F stands for it.
    const target = `/^\\.\\.\\x2F(${forbidden.join('|')})(\\x2F|$)/`;
    rules['no-restricted-syntax'] = [
      'error',
      { selector: `CallExpression[callee.name='require'][arguments.0.value=${target}]`, message },
      { selector: `ImportExpression[source.value=${target}]`, message },
    ];
  }
  return { files: [`shared/${folder}/**/*.ts`], rules };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...Object.entries(SHARED_LAYERS).map(([folder, allowed]) => layerRules(folder, allowed)),
);
