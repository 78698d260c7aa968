import { whenOrphaned } from './parentWatch';

/**
 * Azurite's Blob service in this process (its arguments pass through), ending when whoever
 * started it is gone: a test runner or demo that dies without cleaning up leaves no emulator.
 */
whenOrphaned(() => process.exit(0));
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('azurite/dist/src/blob/main.js');
