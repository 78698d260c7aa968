import { RestError } from '@azure/storage-blob';
import { Snapshot, SnapshotArchive } from '../../../shared/archive/blobArchive';
import { openContainer } from '../../../shared/storage/blobContainers';
import { storageFailure } from '../../../shared/storage/storageErrors';
import { StorageError } from '../../../shared/common/errors';
import { readStorageConfig, StorageConnection } from '../../../shared/config';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { azuriteSettings, containerOf, listBlobs } from '../../support/azurite';
import { useUnreachableStorage } from '../../support/unreachableStorage';

const unreachable = useUnreachableStorage();

const AZURITE_HINT =
  'start Azurite with `npx azurite-blob --disableTelemetry --skipApiVersionCheck`';
/** A made-up account on a loopback port: not the development account, and no real key. */
const OTHER_ACCOUNT = `DefaultEndpointsProtocol=http;AccountName=archive;AccountKey=${Buffer.from('not a key').toString('base64')};BlobEndpoint=http://127.0.0.1:1/archive;`;

const archiveFor = (settings: Record<string, string>) =>
  new SnapshotArchive(
    openContainer(
      readStorageConfig({ ...settings, STORAGE_MAX_TRIES: '1', STORAGE_TRY_TIMEOUT_MS: '2000' }),
      undefined,
    ),
    skypeP2pMinuteCounts,
  );

async function failureOf(action: Promise<unknown>): Promise<StorageError> {
  const error: unknown = await action.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

describe('when storage cannot be reached (a loopback port whose server resets every connection)', () => {
  it.each([
    ['SNAPSHOT_STORAGE', 'the development account', undefined, true],
    ['AzureWebJobsStorage', 'the development account', undefined, true],
    ['SNAPSHOT_STORAGE', 'another account', OTHER_ACCOUNT, false],
  ])(
    'names %s, which configured it, for %s (Azurite hint: %p)',
    async (setting, _, account, hinted) => {
      const connectionString = unreachable.connectionString(account);
      const { SNAPSHOT_CONTAINER } = azuriteSettings();
      const error = await failureOf(
        archiveFor({ [setting]: connectionString, SNAPSHOT_CONTAINER }).prepare(),
      );
      expect(error.message).toMatch(
        new RegExp(`^Blob Storage failed to create the container "${SNAPSHOT_CONTAINER}": `),
      );
      expect(error.message).toContain(`could not reach the storage configured by ${setting}`);
      expect(error.message).toContain('ECONNRESET');
      if (hinted) expect(error.message).toContain(AZURITE_HINT);
      else expect(error.message).not.toContain('Azurite');
      expect(error.message).not.toContain('AccountKey');
    },
  );
});

describe('storageFailure', () => {
  const refused = new RestError('connect ECONNREFUSED 127.0.0.1:10000', { code: 'ECONNREFUSED' });
  const viaConnectionString = (connectionString: string): StorageConnection => ({
    kind: 'connection-string',
    setting: 'AzureWebJobsStorage',
    connectionString,
  });

  it.each([
    ['UseDevelopmentStorage=true', viaConnectionString('UseDevelopmentStorage=true'), true],
    [
      'an identity-based Azurite endpoint',
      {
        kind: 'identity',
        setting: 'SNAPSHOT_STORAGE__blobServiceUri',
        blobServiceUri: 'http://127.0.0.1:10000/devstoreaccount1',
        credential: { kind: 'azure-cli' },
      } as const,
      true,
    ],
    [
      'an identity-based Azure account',
      {
        kind: 'identity',
        setting: 'SNAPSHOT_STORAGE__accountName',
        blobServiceUri: 'https://archive.blob.core.windows.net/',
        credential: { kind: 'managed-identity' },
      } as const,
      false,
    ],
  ])('for %s names the setting; hints at Azurite: %p', (_, connection, hinted) => {
    const { message } = storageFailure('list x/', refused, connection);
    expect(message).toContain(`configured by ${connection.setting} (ECONNREFUSED)`);
    expect(message.includes(AZURITE_HINT)).toBe(hinted);
  });

  it('keeps the status and code of an answer storage did give', () => {
    const denied = new RestError('denied', { statusCode: 403, code: 'AuthorizationFailure' });
    const connection = viaConnectionString('UseDevelopmentStorage=true');
    expect(storageFailure('write x.csv', denied, connection).message).toBe(
      'Blob Storage failed to write x.csv: 403 AuthorizationFailure.',
    );
  });
});

describe('SnapshotArchive.store', () => {
  let settings: ReturnType<typeof azuriteSettings>;
  let archive: SnapshotArchive;
  beforeEach(async () => {
    settings = azuriteSettings();
    archive = archiveFor(settings);
    await archive.prepare();
  });

  const snapshot = (csv: string, fetchedAt: string): Snapshot => ({
    period: 'D7',
    bytes: Buffer.from(csv),
    fetchedAt: new Date(fetchedAt),
    reading: {
      valid: true,
      refreshDate: '2026-11-26',
      rows: 1,
      firstReportDate: '2026-11-26',
      lastReportDate: '2026-11-26',
    },
  });
  const stored = () => listBlobs(containerOf(settings));

  it('never modifies a snapshot blob: the same bytes again, or a restatement, leave it as it was', async () => {
    const first = snapshot('a,b\r\n1,2\r\n', '2026-11-27T06:00:00.000Z');
    expect(await archive.store(first)).toEqual({
      outcome: 'written',
      name: 'skype-p2p-minute-counts/D7/2026-11-26.csv',
      kind: 'original',
      raced: false,
    });
    const before = await stored();
    expect(before[0]!.metadata).toMatchObject({
      fetchedat: '2026-11-27T06:00:00.000Z',
      rows: '1',
      firstreportdate: '2026-11-26',
      lastreportdate: '2026-11-26',
    });

    const again = await archive.store({ ...first, fetchedAt: new Date('2026-11-28T06:00:00Z') });
    expect(again).toMatchObject({ outcome: 'identical', name: before[0]!.name });
    expect(await stored()).toEqual(before);

    const restated = await archive.store(snapshot('a,b\r\n1,3\r\n', '2026-11-28T06:00:00Z'));
    expect(restated).toMatchObject({ outcome: 'restated', kind: 'restated' });
    const after = await stored();
    expect(after).toHaveLength(2);
    expect(after).toContainEqual(before[0]);
  });
});
