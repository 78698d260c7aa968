import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azuriteSettings, containerOf } from '../../support/azurite';
import { snapshotNamesIn } from '../../support/archive';
import { CATALOGUE } from '../../../shared/reports/catalogue';
import { useGraph } from '../../support/graphSimulator';
import { runTool, startLocalHost } from '../../support/processes';

/**
 * The local host loads dist/functions as the Functions host does, so REPORTS, read at startup,
 * decides which reports have routes: a report not enabled answers 404 like any unknown route.
 */
const sim = useGraph('2026-11-26');
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'reports-setting-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const env = (reports: string) => ({
  ...sim.settings,
  ...azuriteSettings(),
  SNAPSHOT_SCHEDULE: '0 0 6 * * *',
  REPORTS: reports,
});

describe('REPORTS in a running host', () => {
  it('serves the enabled reports only', async () => {
    const { tool, port } = await startLocalHost(['--no-settings-file'], {
      cwd: folder,
      env: env('teams-user-activity-counts'),
    });
    try {
      const at = (slug: string) => fetch(`http://127.0.0.1:${port}/api/reports/${slug}?period=D7`);
      expect((await at('teams-user-activity-counts')).status).toBe(200);
      expect((await at('skype-p2p-minute-counts')).status).toBe(404);
      expect((await at('teams-user-activity-user-counts')).status).toBe(404);
    } finally {
      await tool.stop();
    }
  });

  it("fires each enabled report's own timer on the one SNAPSHOT_SCHEDULE", async () => {
    const settings = { ...env('all'), SNAPSHOT_SCHEDULE: '*/1 * * * * *' };
    const { tool } = await startLocalHost(['--no-settings-file'], { cwd: folder, env: settings });
    try {
      for (const definition of CATALOGUE)
        await tool.waitFor(
          new RegExp(`Executed 'Functions\\.${definition.functionNames.snapshot}' \\(Succeeded`),
          20_000,
        );
      const names = await snapshotNamesIn(containerOf(settings));
      for (const definition of CATALOGUE)
        expect(names).toContain(`${definition.blobPrefix}/D7/2026-11-26.csv`);
    } finally {
      await tool.stop();
    }
  });

  it('refuses to start with an unknown slug, naming REPORTS and the slug', async () => {
    const result = await runTool('localHost/start.js', ['--no-settings-file', '--port', '1'], {
      cwd: folder,
      env: env('skype-p2p-minute-counts,skype-p2p-minutes'),
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      /REPORTS: "skype-p2p-minutes" is not a report of the catalogue/,
    );
  });
});
