/** Small statistics over samples, kept pure so the tests can pin them down. */

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each pair's ratio `ours / reference`, and their median: the figure a goal is set on. */
export function pairedRatio(pairs: readonly { ours: number; reference: number }[]): {
  ratios: number[];
  ratio: number;
  ours: number;
  reference: number;
} {
  const ratios = pairs.map(({ ours, reference }) => ours / reference);
  return {
    ratios,
    ratio: median(ratios),
    ours: median(pairs.map((pair) => pair.ours)),
    reference: median(pairs.map((pair) => pair.reference)),
  };
}

/**
 * Runs every contender once per round, `rounds` times, starting each round one contender later
 * than the last, so a machine warming up or slowing down weighs on all of them alike.
 */
export async function rotate<K extends string, T>(
  rounds: number,
  contenders: Readonly<Record<K, () => Promise<T>>>,
): Promise<Record<K, T>[]> {
  const names = Object.keys(contenders) as K[];
  const results: Record<K, T>[] = [];
  for (let round = 0; round < rounds; round++) {
    const result = {} as Record<K, T>;
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length]!;
      result[name] = await contenders[name]();
    }
    results.push(result);
  }
  return results;
}

/** `rotate` for two: the reference first in even pairs, ours first in odd ones. */
export function alternate<T>(
  count: number,
  ours: () => Promise<T>,
  reference: () => Promise<T>,
): Promise<{ ours: T; reference: T }[]> {
  return rotate(count, { reference, ours });
}
