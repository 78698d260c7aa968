import {
  readGraphConfig,
  readSnapshotConfig,
  readSnapshotPeriods,
  readStorageConfig,
  Settings,
} from '../../../shared/config';
import { CLI, configError, CONNECTION_STRING } from './fixtures';

describe('readSnapshotPeriods', () => {
  it.each([
    ['defaults to D7', undefined, ['D7']],
    ['treats a blank value as unset', '  ', ['D7']],
    ['reads every period, in the order given', 'D180,D7,D90,D30', ['D180', 'D7', 'D90', 'D30']],
    [
      'is case-insensitive, tolerates spaces and removes duplicates',
      ' d30 , D7,d7, D30 ,d30',
      ['D30', 'D7'],
    ],
    ['tolerates empty entries, such as a trailing comma', 'D7,,D30,', ['D7', 'D30']],
  ])('%s (%p)', (_, raw, expected) => {
    expect(readSnapshotPeriods({ SNAPSHOT_PERIODS: raw })).toEqual(expected);
  });

  it.each([
    ['D7,D14', '"D14" is not one of D7, D30, D90, D180'],
    ['7', '"7" is not one of D7, D30, D90, D180'],
    ['D7;D30', '"D7;D30" is not one of D7, D30, D90, D180'],
    ['D7, weekly ', '"weekly" is not one of D7, D30, D90, D180'],
    // Names nothing: say which periods there are to choose from.
    [',', 'lists no period; use some of D7, D30, D90, D180'],
    [' , ,', 'lists no period; use some of D7, D30, D90, D180'],
  ])('rejects SNAPSHOT_PERIODS=%p, saying %s', (raw, message) => {
    const error = configError(() => readSnapshotPeriods({ SNAPSHOT_PERIODS: raw }));
    expect(error.setting).toBe('SNAPSHOT_PERIODS');
    expect(error.message).toContain(message);
  });
});

describe('readSnapshotConfig', () => {
  const VALID: Settings = { ...CLI, SNAPSHOT_STORAGE: CONNECTION_STRING };

  it('combines the Graph, storage and period settings with the default fetch timeout', () => {
    expect(readSnapshotConfig({ ...VALID, SNAPSHOT_PERIODS: 'd30,D7' })).toEqual({
      graph: readGraphConfig(VALID),
      storage: readStorageConfig(VALID),
      periods: ['D30', 'D7'],
      fetchTimeoutMs: 120_000,
    });
  });

  it.each([
    ['1000', 1000],
    ['600000', 600_000],
  ])('reads SNAPSHOT_FETCH_TIMEOUT_MS=%s, at the edge of 1000..600000', (raw, expected) => {
    expect(readSnapshotConfig({ ...VALID, SNAPSHOT_FETCH_TIMEOUT_MS: raw }).fetchTimeoutMs).toBe(
      expected,
    );
  });

  it.each(['999', '600001', 'two minutes'])('rejects SNAPSHOT_FETCH_TIMEOUT_MS=%s', (raw) => {
    expect(
      configError(() => readSnapshotConfig({ ...VALID, SNAPSHOT_FETCH_TIMEOUT_MS: raw })).setting,
    ).toBe('SNAPSHOT_FETCH_TIMEOUT_MS');
  });

  it.each<[string, Settings, string]>([
    ['a Graph', { SNAPSHOT_STORAGE: CONNECTION_STRING }, 'GRAPH_CREDENTIAL'],
    ['a storage', { ...CLI }, 'SNAPSHOT_STORAGE'],
    ['a period', { ...VALID, SNAPSHOT_PERIODS: 'D1' }, 'SNAPSHOT_PERIODS'],
  ])('propagates %s setting error', (_, settings, setting) => {
    expect(configError(() => readSnapshotConfig(settings)).setting).toBe(setting);
  });
});
