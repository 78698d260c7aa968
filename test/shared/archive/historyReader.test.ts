import { ServiceRegistry } from '../../../shared/app/services';
import { readStorageConfig } from '../../../shared/config';
import { historyIndexBlobName } from '../../../shared/archive/historyIndex';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { HISTORY_INDEX_MAX_BYTES } from '../../../shared/storage/boundedRead';
import { azuriteSettings, containerOf } from '../../support/azurite';

const KEY = 'c2VjcmV0LWtleS1ub3QtdG8tYmUtc2Vlbg==';
const account = (key = KEY, container = 'graph-reports') =>
  readStorageConfig({
    SNAPSHOT_STORAGE: `DefaultEndpointsProtocol=https;AccountName=myarchive;AccountKey=${key};EndpointSuffix=core.windows.net`,
    SNAPSHOT_CONTAINER: container,
  });

describe('the history readers of one process', () => {
  it('give every request to the same archive the same reader, so the index held is reused', () => {
    const readers = new ServiceRegistry().historyReaders();
    const reader = readers.readerFor(account(), skypeP2pMinuteCounts);
    expect(readers.readerFor(account(), skypeP2pMinuteCounts)).toBe(reader);
    expect(readers.readerFor(account(KEY, 'other-container'), skypeP2pMinuteCounts)).not.toBe(
      reader,
    );
    expect(
      new ServiceRegistry().historyReaders().readerFor(account(), skypeP2pMinuteCounts),
    ).not.toBe(reader);
  });

  it('key storage as everything else is keyed (ConfigKeys): a rotated account key is another storage', () => {
    const readers = new ServiceRegistry().historyReaders();
    const reader = readers.readerFor(account(), skypeP2pMinuteCounts);
    const rotated = Buffer.from('another-secret-key').toString('base64');
    expect(readers.readerFor(account(rotated), skypeP2pMinuteCounts)).not.toBe(reader);
  });
});

describe('an index too large to be one (defect 3)', () => {
  it('is unreadable without being read: the 503 and the rebuild that exist for a corrupt one [bad-input]', async () => {
    const settings = azuriteSettings();
    const container = containerOf(settings);
    await container.createIfNotExists();
    const oversized = Buffer.alloc(HISTORY_INDEX_MAX_BYTES + 1, 0x20);
    await container
      .getBlockBlobClient(historyIndexBlobName(skypeP2pMinuteCounts))
      .uploadData(oversized);
    const reader = new ServiceRegistry()
      .historyReaders()
      .readerFor(readStorageConfig(settings), skypeP2pMinuteCounts);
    const view = await reader.view();
    expect(view).toEqual({
      state: 'unreadable',
      detail: `too large: ${oversized.length} bytes, over the limit of ${HISTORY_INDEX_MAX_BYTES}`,
    });
  }, 30_000);
});
