import { app, InvocationContext, Timer } from '@azure/functions';
import { runSnapshotFromSettings } from '../shared/archive/snapshotJob';

export async function skypeP2pSnapshotHandler(
  timer: Timer,
  context: InvocationContext,
): Promise<void> {
  // The host fires a missed schedule once; the job itself works out what is missing.
  context.log(`Snapshot run starting (isPastDue=${timer.isPastDue}).`);
  const summary = await runSnapshotFromSettings(process.env, context);
  const line = `Snapshot run finished: ${JSON.stringify(summary)}`;
  if (summary.invalid > 0) context.error(line);
  else context.log(line);
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
