import { createHash } from 'node:crypto';
import { SharedReportCache } from '../../../shared/cache/blobCache';
import { silentLogger } from '../../../shared/common/logger';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { containerClient, uniqueContainer } from '../../support/azurite';

const csv = Buffer.from('\uFEFFReport Refresh Date,Report Date,Report Period,Audio,Video\n');

function sharedCache() {
  const container = containerClient(uniqueContainer());
  return { container, cache: new SharedReportCache(container, skypeP2pMinuteCounts, silentLogger) };
}

describe('SharedReportCache: the freshest good CSV per period, shared through Blob Storage', () => {
  it('reads absent before anything is written, even without a container', async () => {
    const { cache } = sharedCache();
    await expect(cache.read('D7')).resolves.toEqual({ kind: 'absent' });
    await expect(cache.etag('D7')).resolves.toBeUndefined();
    await expect(cache.isLocked('D7')).resolves.toBe(false);
  });

  it('writes the bytes as received, with fetchedat, graphetag and sha256, and reads them back', async () => {
    const { container, cache } = sharedCache();
    const confirmedAt = Date.parse('2026-11-28T06:00:01.000Z');
    await cache.write('D30', { bytes: csv, confirmedAt, graphEtag: '"abc"' });
    const read = await cache.read('D30');
    expect(read).toMatchObject({ kind: 'copy', copy: { confirmedAt, graphEtag: '"abc"' } });
    expect(read.kind === 'copy' && read.copy.bytes.equals(csv)).toBe(true);
    const properties = await container
      .getBlobClient('skype-p2p-minute-counts/_cache/D30.cache')
      .getProperties();
    expect(properties.contentType).toBe('text/csv');
    expect(properties.metadata).toEqual({
      fetchedat: '2026-11-28T06:00:01.000Z',
      graphetag: '"abc"',
      sha256: createHash('sha256').update(csv).digest('hex'),
    });
    expect(await cache.etag('D30')).toBe(properties.etag);
  });

  it.each([
    [
      'bytes that do not match sha256',
      { sha256: '0'.repeat(64), fetchedat: '2026-11-28T06:00:00Z' },
    ],
    ['no fetchedat', { sha256: createHash('sha256').update(csv).digest('hex') }],
  ])('calls a blob with %s corrupt, never a copy', async (_, metadata) => {
    const { container, cache } = sharedCache();
    await container.createIfNotExists();
    await container
      .getBlockBlobClient(cache.cacheBlobName('D7'))
      .upload(csv, csv.length, { metadata });
    await expect(cache.read('D7')).resolves.toMatchObject({ kind: 'corrupt' });
  });

  it('lets one holder take a period lock at a time, and frees it on release', async () => {
    const { cache } = sharedCache();
    const first = await cache.tryLock('D7');
    expect(first).toBeDefined();
    await expect(cache.isLocked('D7')).resolves.toBe(true);
    await expect(cache.tryLock('D7')).resolves.toBeUndefined();
    // Periods lock independently.
    const other = await cache.tryLock('D180');
    expect(other).toBeDefined();
    await first!.release();
    await expect(cache.isLocked('D7')).resolves.toBe(false);
    const second = await cache.tryLock('D7');
    expect(second).toBeDefined();
    await second!.release();
    await other!.release();
  });
});
