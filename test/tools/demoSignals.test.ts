import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/freePort';
import { alive, projectRoot, watch } from '../support/processes';

/**
 * How `npm run demo` stops, process by process. Each case starts it in a process group of its
 * own (npm, its `sh -c`, the demo's node, Azurite, the Graph simulator and the function app) with
 * a small archive, sends one signal to one target, and expects the whole group gone within 5 s.
 * The npm cases are the ones a terminal never shows: npm passes SIGINT to its shell only, and
 * SIGTERM kills the shell, orphaning the demo.
 */
function groupMembers(pgid: number): { pid: number; args: string }[] {
  return execFileSync('ps', ['-o', 'pid=,pgid=,args=', '-e'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === pgid)
    .map((match) => ({ pid: Number(match[1]), args: match[3]! }));
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'demo-signals-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('stopping npm run demo', () => {
  it.each([
    ['SIGINT', 'the npm process'],
    ['SIGTERM', 'the npm process'],
    ['SIGINT', "the demo's node process"],
    ['SIGTERM', "the demo's node process"],
    ['SIGINT', 'the process group'],
    ['SIGTERM', 'the process group'],
  ] as const)(
    '%s to %s stops every child within 5 s',
    async (signal, target) => {
      const port = await freePort();
      // Its own settings file: a demo in another suite may be writing the default one.
      const settingsFile = join(folder, 'settings.env');
      const npm = spawn(
        'npm',
        ['run', 'demo', '--', '--quick', '--port', String(port), '--settings-file', settingsFile],
        { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const demo = watch(npm);
      const pgid = npm.pid!;
      try {
        await demo.waitFor(/Press Ctrl-C to stop\./, 90_000);
        expect(existsSync(settingsFile)).toBe(true);
        const members = groupMembers(pgid);
        const node = members.find(({ args }) => args.includes('dist/tools/demo.js'))!;
        // npm, its shell, the demo, and the three children it started.
        for (const child of ['graphSimulator/cli.js', 'localHost/start.js', 'azuriteBlob.js'])
          expect(members.some(({ args }) => args.includes(child))).toBe(true);
        expect(node).toBeDefined();

        const sentAt = Date.now();
        if (target === 'the npm process') process.kill(pgid, signal);
        else if (target === "the demo's node process") process.kill(node.pid, signal);
        else process.kill(-pgid, signal);

        const stopped = await until(() => members.every(({ pid }) => !alive(pid)), 5_000);
        const survivors = members.filter(({ pid }) => alive(pid)).map(({ args }) => args);
        expect({ stopped, survivors, after: `${Date.now() - sentAt} ms` }).toMatchObject({
          stopped: true,
          survivors: [],
        });
        expect(groupMembers(pgid)).toEqual([]);
        expect(demo.output()).not.toMatch(/exited unexpectedly|could not start|failed/);
        // Its settings would point the other commands at nothing now.
        expect(existsSync(settingsFile)).toBe(false);
      } finally {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // Already gone, as it should be.
        }
      }
    },
    120_000,
  );
});
