import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../tools/azurite';
import { alive, projectRoot, watch } from '../support/processes';

describe('the Azurite launcher', () => {
  it('starts a real Blob service on a free loopback port, and stops it', async () => {
    const azurite = await startAzurite();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await service.getContainerClient('launcher-check').createIfNotExists();
      expect(azurite.connectionString).toContain(`BlobEndpoint=http://127.0.0.1:${azurite.port}/`);
    } finally {
      await azurite.stop();
    }
    expect(alive(azurite.child.pid!)).toBe(false);
  });

  it('takes Azurite down when the process that started it dies without cleaning up', async () => {
    const launcher = join(projectRoot, 'dist', 'tools', 'azurite.js');
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(launcher)}).startAzurite().then((a) => console.log('azurite', a.child.pid))`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = watch(parent);
    const pid = Number((await output.waitFor(/azurite \d+/)).split(' ')[1]);
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
  });
});
