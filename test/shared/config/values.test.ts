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

  it.each([
    [
      'a setting the registry does not declare',
      () => textSetting({}, 'NOT_DECLARED'),
      'is not declared',
    ],
    [
      'a default the registry does not declare',
      () => textSetting({}, 'AZURE_TENANT_ID'),
      'declares no default',
    ],
    [
      'a range the registry does not declare',
      () => integerSetting({}, 'SNAPSHOT_CONTAINER'),
      'declares no range',
    ],
    [
      'allowed values the registry does not declare',
      () => choiceSetting({}, 'SNAPSHOT_PERIODS'),
      'declares no allowed values',
    ],
  ])('calls reading %s a bug, not a bad setting', (_, read, message) => {
    const error = thrownBy(Error, read);
    expect(error.message).toContain(message);
    expect(error).not.toBeInstanceOf(ConfigError);
  });
});
