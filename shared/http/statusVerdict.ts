/**
 * A status document's verdict as the pages say it: healthy, else its reason (see
 * shared/archive/status.ts). One table for the report dashboard's script (in the browser) and the
 * home page (rendered on the server), so both name a state alike. Imports nothing and touches
 * neither Node nor the DOM: dashboard.ts inlines its browser build beside the page script.
 */
export type VerdictState = 'healthy' | 'stale' | 'error';

export interface Verdict {
  /** The badge's `data-state`, which picks its colours. */
  readonly state: VerdictState;
  readonly text: string;
}

const VERDICTS: Readonly<Record<string, Verdict>> = {
  healthy: { state: 'healthy', text: '✓ Healthy' },
  stale: { state: 'stale', text: '⚠ Stale' },
  empty: { state: 'stale', text: '⚠ Nothing archived yet' },
  'last-run-failed': { state: 'error', text: '✗ Last snapshot run failed' },
  'storage-unavailable': { state: 'error', text: '✗ Storage unavailable' },
};

/** The verdict of a status document (anything the status endpoint may have answered). */
export function statusVerdict(status: unknown): Verdict {
  const document = status && typeof status === 'object' ? (status as Record<string, unknown>) : {};
  const reason =
    document.healthy === true
      ? 'healthy'
      : typeof document.reason === 'string'
        ? document.reason
        : '';
  return Object.prototype.hasOwnProperty.call(VERDICTS, reason)
    ? VERDICTS[reason]!
    : { state: 'error', text: '✗ Unhealthy' + (reason ? ': ' + reason : '') };
}
