/**
 * The simulator's chaos mode: each report API request draws, from a seeded generator, whether it
 * meets a 429, a 5xx or a slow answer, at steady rates. The same seed gives the same faults in
 * the same order, so a load run that found something can be run again and find it again.
 */
export interface ChaosOptions {
  /** Seed of the generator (an unsigned 32-bit integer). */
  readonly seed: number;
  /** Probability per request of a 429 with `Retry-After`. */
  readonly throttle?: number;
  /** Probability per request of a 500, 502, 503 or 504. */
  readonly serverError?: number;
  /** Probability per request of an answer held back by `slowMs`, then served normally. */
  readonly slow?: number;
  /** How long a slow answer waits (default 2000 ms). */
  readonly slowMs?: number;
  /** The `Retry-After` of a 429, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
}

export type ChaosFault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'slow'; readonly delayMs: number };

export type ChaosKind = 'throttle' | 'serverError' | 'slow';

export const SERVER_ERRORS = [500, 502, 503, 504] as const;

/** mulberry32: small, fast, and good enough to spread faults; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Refuses options that cannot mean anything, before any request meets them. */
export function checkChaos(options: ChaosOptions): ChaosOptions {
  const { seed, throttle = 0, serverError = 0, slow = 0, slowMs = 2000 } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error('chaos.seed must be an integer from 0 to 4294967295');
  for (const [name, value] of Object.entries({ throttle, serverError, slow })) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      throw new Error(`chaos.${name} must be a probability from 0 to 1`);
  }
  if (throttle + serverError + slow > 1)
    throw new Error('chaos probabilities must add up to at most 1');
  if (!Number.isInteger(slowMs) || slowMs < 0 || slowMs > 600_000)
    throw new Error('chaos.slowMs must be an integer from 0 to 600000');
  const retryAfter = options.retryAfterSeconds ?? 1;
  if (!Number.isInteger(retryAfter) || retryAfter < 0)
    throw new Error('chaos.retryAfterSeconds must be a whole number of seconds');
  return options;
}

/**
 * The fault (if any) for each successive request. One draw decides the kind, a second which
 * 5xx, so changing one probability shifts the others' requests as little as it can.
 */
export function chaosFaults(
  options: ChaosOptions,
): () => { kind: ChaosKind; fault: ChaosFault } | undefined {
  const { throttle = 0, serverError = 0, slow = 0, slowMs = 2000 } = checkChaos(options);
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const random = seededRandom(options.seed);
  return () => {
    const draw = random();
    if (draw < throttle)
      return { kind: 'throttle', fault: { kind: 'status', status: 429, retryAfter } };
    if (draw < throttle + serverError) {
      const status = SERVER_ERRORS[Math.floor(random() * SERVER_ERRORS.length)]!;
      return { kind: 'serverError', fault: { kind: 'status', status } };
    }
    if (draw < throttle + serverError + slow)
      return { kind: 'slow', fault: { kind: 'slow', delayMs: slowMs } };
    return undefined;
  };
}
