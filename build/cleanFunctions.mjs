// Run by `npm run build` (and the tests' build) before tsc: dist/functions/ holds only what this
// build compiles, so an entry file deleted from functions/ can never be registered from a stale
// build (package.json `main` loads every dist/functions/*.js). tsc's incremental record goes too:
// it would otherwise skip emitting files it thinks are still there. Plain Node, no shell: the
// same on every platform, and Azure's remote build runs it as it is.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist', 'functions'), { recursive: true, force: true });
rmSync(join(root, 'dist', '.tsbuildinfo'), { force: true });
