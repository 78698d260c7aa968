import { app, InvocationContext, Timer } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** Loads its code on first invocation (see skypeP2pMinuteCounts.ts). */
export async function skypeP2pSnapshotHandler(
  timer: Timer,
  context: InvocationContext,
): Promise<void> {
  const { runSnapshotFromSettings, summaryOfFailedRun } =
    await import('../shared/archive/snapshotJob');
  // The host fires a missed schedule once; the job itself works out what is missing.
  context.log(`Snapshot run starting (isPastDue=${timer.isPastDue}).`);
  try {
    const summary = await runSnapshotFromSettings(skypeP2pMinuteCounts, process.env, context);
    const line = `Snapshot run finished: ${JSON.stringify(summary)}`;
    if (summary.invalid > 0) context.error(line);
    else context.log(line);
  } catch (error) {
    // The host logs the error and retries; this says what the failed attempt had stored.
    const summary = summaryOfFailedRun(error);
    if (summary) context.error(`Snapshot run failed after: ${JSON.stringify(summary)}`);
    throw error;
  }
}

app.timer('skypeP2pSnapshot', {
  schedule: '%SNAPSHOT_SCHEDULE%',
  runOnStartup: false,
  // Graph or storage failures throw; the host retries them with these delays.
  retry: {
    strategy: 'exponentialBackoff',
    maxRetryCount: 3,
    minimumInterval: { seconds: 30 },
    maximumInterval: { minutes: 15 },
  },
  handler: skypeP2pSnapshotHandler,
});
