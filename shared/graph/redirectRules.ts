import { GraphBadResponseError } from '../common/errors';
import { isLoopbackHost } from '../common/loopback';

export const MAX_REDIRECTS = 3;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect may send us: https anywhere (the download host is Microsoft's storage), plain
 * http only between loopback stand-ins. The URL itself is pre-authenticated, so errors name the host
 * only, never the URL.
 */
export function redirectTarget(location: string | null, from: URL): URL {
  if (!location) {
    throw new GraphBadResponseError('Graph answered a redirect without a Location header.');
  }
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new GraphBadResponseError('Graph answered a redirect to an unreadable Location.');
  }
  if (target.protocol === 'https:') return target;
  // Plain http only from one local stand-in to another: real Graph never sends us to loopback.
  if (
    target.protocol === 'http:' &&
    isLoopbackHost(target.hostname) &&
    isLoopbackHost(from.hostname)
  ) {
    return target;
  }
  throw new GraphBadResponseError(
    `Graph redirected the download to ${target.protocol}//${target.host}, which is not followed: only https (or http on loopback) is.`,
  );
}
