import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import {
  parseSnapshotName,
  refreshDatePrefix,
  snapshotBlobName,
} from '../../../shared/archive/blobNames';

const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('snapshot blob names', () => {
  it.each([
    ['original', '2026-11-26', 'skype-p2p-minute-counts/D7/2026-11-26.csv'],
    ['restated', '2026-11-26', 'skype-p2p-minute-counts/D7/2026-11-26.restated-a1b2c3d4e5f6.csv'],
    ['invalid', '2026-11-26', 'skype-p2p-minute-counts/D7/2026-11-26.invalid-a1b2c3d4e5f6.csv'],
    ['unkeyed', undefined, 'skype-p2p-minute-counts/D7/unkeyed/a1b2c3d4e5f6.csv'],
  ] as const)('names a %s snapshot %s as %s, and reads it back', (kind, date, name) => {
    expect(snapshotBlobName(skypeP2pMinuteCounts, 'D7', kind, date, sha)).toBe(name);
    expect(parseSnapshotName(skypeP2pMinuteCounts, name)).toEqual({
      name,
      period: 'D7',
      kind,
      ...(date ? { reportRefreshDate: date } : {}),
    });
  });

  it('files a report with no refresh date as unkeyed, whatever kind was asked', () => {
    expect(snapshotBlobName(skypeP2pMinuteCounts, 'D30', 'invalid', undefined, sha)).toBe(
      'skype-p2p-minute-counts/D30/unkeyed/a1b2c3d4e5f6.csv',
    );
  });

  it('lists every copy of a date with one prefix that matches no other date', () => {
    const prefix = refreshDatePrefix(skypeP2pMinuteCounts, 'D7', '2026-11-26');
    expect(
      'skype-p2p-minute-counts/D7/2026-11-26.restated-a1b2c3d4e5f6.csv'.startsWith(prefix),
    ).toBe(true);
    expect('skype-p2p-minute-counts/D7/2026-11-260.csv'.startsWith(prefix)).toBe(false);
  });

  it.each([
    'other-report/D7/2026-11-26.csv',
    'skype-p2p-minute-counts/D8/2026-11-26.csv',
    'skype-p2p-minute-counts/D7/2026-11-26.txt',
    'skype-p2p-minute-counts/D7/latest.csv',
    'skype-p2p-minute-counts/D7/2026-11-26.restated-xyz.csv',
  ])('ignores a blob it did not name: %s', (name) => {
    expect(parseSnapshotName(skypeP2pMinuteCounts, name)).toBeUndefined();
  });
});
