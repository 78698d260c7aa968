import { Cron } from 'croner';
import { Settings } from '../../shared/config';
import { ConfigError } from '../../shared/common/errors';

/** `%NAME%` in a binding names an app setting, as in Azure; anything else is literal. */
export function resolveBindingExpression(
  value: string,
  settings: Settings,
): { value: string; setting?: string } {
  const match = /^%([^%]+)%$/.exec(value.trim());
  if (!match) return { value };
  const setting = match[1]!;
  const resolved = settings[setting]?.trim();
  if (!resolved) {
    throw new ConfigError(setting, 'is not set, and a timer function takes its schedule from it.');
  }
  return { value: resolved, setting };
}

/**
 * A six-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}, UTC),
 * validated by croner, which reads the same six fields in the same order.
 */
export function ncrontab(expression: string, setting: string): Cron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ConfigError(
      setting,
      `"${expression}" is not a six-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}), e.g. "0 0 6 * * *".`,
    );
  }
  try {
    // NCRONTAB needs both day of month and day of week to match (cron's classic rule is either),
    // and a run still going when the next is due is skipped, as the host's singleton lock does.
    return new Cron(expression, { timezone: 'UTC', paused: true, domAndDow: true, protect: true });
  } catch (error) {
    throw new ConfigError(
      setting,
      `"${expression}" is not a valid schedule: ${(error as Error).message}.`,
    );
  }
}
