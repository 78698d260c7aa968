import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { whenOrphaned } from './parentWatch';

/**
 * Azurite's Blob service in this process (its arguments pass through), ending when whoever
 * started it is gone: a test runner or demo that dies without cleaning up leaves no emulator,
 * nor the scratch folder the launcher made it work in.
 */
whenOrphaned(() => {
  const workspace = process.cwd();
  if (dirname(workspace) === tmpdir() && basename(workspace).startsWith('azurite-')) {
    rmSync(workspace, { recursive: true, force: true });
  }
  process.exit(0);
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('azurite/dist/src/blob/main.js');
