import { ConfigError } from '../../../shared/common/errors';
import { ncrontab, resolveBindingExpression } from '../../../tools/localHost/schedule';

describe('timer schedules', () => {
  it('resolves %SETTING% from the settings, as Azure does', () => {
    expect(
      resolveBindingExpression('%SNAPSHOT_SCHEDULE%', { SNAPSHOT_SCHEDULE: ' 0 0 6 * * * ' }),
    ).toEqual({
      value: '0 0 6 * * *',
      setting: 'SNAPSHOT_SCHEDULE',
    });
    expect(resolveBindingExpression('0 */5 * * * *', {})).toEqual({ value: '0 */5 * * * *' });
  });

  it('names a missing setting', () => {
    expect(() => resolveBindingExpression('%SNAPSHOT_SCHEDULE%', {})).toThrow(ConfigError);
    expect(() =>
      resolveBindingExpression('%SNAPSHOT_SCHEDULE%', { SNAPSHOT_SCHEDULE: ' ' }),
    ).toThrow('SNAPSHOT_SCHEDULE: is not set');
  });

  it('reads six-field NCRONTAB in UTC: second, minute, hour, day, month, day of week', () => {
    const cron = ncrontab('0 30 6 * * 1', 'SNAPSHOT_SCHEDULE');
    // 2026-11-28 is a Saturday: the next Monday 06:30:00 UTC is 2026-11-30.
    expect(cron.nextRun(new Date('2026-11-28T12:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T06:30:00.000Z',
    );
    expect(
      ncrontab('0 0 6 * * *', 'S').nextRun(new Date('2026-11-28T05:59:59Z'))?.toISOString(),
    ).toBe('2026-11-28T06:00:00.000Z');
  });

  it.each(['0 6 * * *', '0 0 6 * * * *', ''])(
    'rejects %p as not six fields, naming the setting',
    (expression) => {
      expect(() => ncrontab(expression, 'SNAPSHOT_SCHEDULE')).toThrow(
        /^SNAPSHOT_SCHEDULE: .*six-field NCRONTAB/,
      );
    },
  );

  it('rejects an out-of-range field', () => {
    expect(() => ncrontab('61 0 6 * * *', 'SNAPSHOT_SCHEDULE')).toThrow(
      /SNAPSHOT_SCHEDULE: "61 0 6 \* \* \*" is not a valid schedule/,
    );
  });
});

describe('NCRONTAB day matching', () => {
  it('needs both day of month and day of week, as the Azure host does', () => {
    // Friday the 13th only: 2027-08-13 is the next after 2026-11-28, not every Friday.
    const cron = ncrontab('0 0 6 13 * 5', 'SNAPSHOT_SCHEDULE');
    expect(cron.nextRun(new Date('2026-11-28T00:00:00Z'))?.toISOString()).toBe(
      '2027-08-13T06:00:00.000Z',
    );
  });
});
