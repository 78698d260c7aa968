import { BadRequestError } from '../common/errors';

/**
 * The one value of a query parameter, undefined when absent. A repeated one is ambiguous (which
 * one was meant is anyone's guess), so it is refused, not guessed; `tooMany` words the refusal,
 * as each endpoint's contract words it.
 */
export function single(
  query: URLSearchParams,
  name: string,
  tooMany: (count: number) => string,
): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new BadRequestError(name, tooMany(values.length));
  return values[0];
}
