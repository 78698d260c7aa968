import { choiceSetting, integerSetting, rawSetting, textSetting } from '../../../shared/config';
import { ConfigError } from '../../../shared/common/errors';
import { thrownBy } from '../../support/errors';
import { configError } from './fixtures';

describe('reading one setting', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    [' \t\n', undefined],
    [' value ', 'value'],
  ])('reads %p as %p: surrounding whitespace never counts, blank is unset', (raw, expected) => {
    expect(rawSetting({ ANY_NAME: raw }, 'ANY_NAME')).toBe(expected);
  });

  it.each([
    [
      'a declared default for an unset setting',
      () => textSetting({}, 'SNAPSHOT_CONTAINER'),
      'graph-reports',
    ],
    ['a declared whole-number default', () => integerSetting({}, 'STORAGE_MAX_TRIES'), 3],
    [
      'a declared choice, lower-cased',
      () => choiceSetting({ GRAPH_CREDENTIAL: ' AUTO ' }, 'GRAPH_CREDENTIAL'),
      'auto',
    ],
  ])('gives %s', (_, read, expected) => {
    expect(read()).toBe(expected);
  });

  it('names the setting, its range and the bad value for a whole number out of range', () => {
    const error = configError(() =>
      integerSetting({ STORAGE_MAX_TRIES: '11' }, 'STORAGE_MAX_TRIES'),
    );
    expect(error.message).toBe(
      'STORAGE_MAX_TRIES: must be a whole number from 1 to 10 (got "11").',
    );
  });

  // What the registry lacks, by the setting read and the reader that needs it.
  it.each([
    ['a setting it does not declare', 'NOT_DECLARED', textSetting, 'is not declared'],
    ['a default it does not declare', 'AZURE_TENANT_ID', textSetting, 'declares no default'],
    ['a range it does not declare', 'SNAPSHOT_CONTAINER', integerSetting, 'declares no range'],
    [
      'allowed values it does not declare',
      'SNAPSHOT_PERIODS',
      choiceSetting,
      'declares no allowed values',
    ],
  ] as const)('calls reading %s (%s) a bug, not a bad setting', (_, name, read, message) => {
    const error = thrownBy(Error, () => read({}, name as never));
    expect(error.message).toContain(message);
    expect(error).not.toBeInstanceOf(ConfigError);
  });
});
