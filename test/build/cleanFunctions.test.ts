import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('the build clears dist/functions/ first', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'clean-functions-'));
    mkdirSync(join(root, 'build'));
    copyFileSync(
      join(__dirname, '..', '..', 'build', 'cleanFunctions.mjs'),
      join(root, 'build', 'cleanFunctions.mjs'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('so an entry file deleted from functions/ is never registered from a stale build', () => {
    mkdirSync(join(root, 'dist', 'functions', 'reports'), { recursive: true });
    mkdirSync(join(root, 'dist', 'shared'), { recursive: true });
    writeFileSync(join(root, 'dist', 'functions', 'deletedLongAgo.js'), '');
    writeFileSync(join(root, 'dist', 'functions', 'reports', 'helper.js'), '');
    writeFileSync(join(root, 'dist', '.tsbuildinfo'), '{}');
    writeFileSync(join(root, 'dist', 'shared', 'kept.js'), '');

    execFileSync(process.execPath, [join(root, 'build', 'cleanFunctions.mjs')]);

    expect(existsSync(join(root, 'dist', 'functions'))).toBe(false);
    // Else tsc, incremental, would not emit the files it believes are still there.
    expect(existsSync(join(root, 'dist', '.tsbuildinfo'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'shared', 'kept.js'))).toBe(true);
  });

  it('and does nothing on a fresh clone, with no dist/ yet', () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, 'build', 'cleanFunctions.mjs')]),
    ).not.toThrow();
  });
});
