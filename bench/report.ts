import { Machine, machineLine } from './machine';
import { LoadSummary } from './loadGen';

/**
 * What the suites write (bench/results/*.json) and how it reads as Markdown: the console, the
 * README and `npm run figures` all print the same tables from the same JSON.
 */
export interface Goal {
  readonly at: 'least' | 'most' | 'exactly';
  readonly value: number;
}

export interface BenchRow {
  readonly id: string;
  readonly measure: string;
  /** Our side, with its unit. */
  readonly ours: string;
  /** What it is divided by, with its unit; empty for a plain figure. */
  readonly reference: string;
  readonly ratio?: number;
  readonly goal?: Goal;
}

/** A condition the run must meet whatever the timings: a broken one fails the run. */
export interface Invariant {
  readonly name: string;
  readonly holds: boolean;
  readonly detail: string;
}

export interface BenchResults {
  readonly suite: 'bench';
  readonly generatedAt: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly rows: readonly BenchRow[];
  readonly invariants: readonly Invariant[];
  /** Every sample behind the rows, for whoever doubts a median. */
  readonly details: Record<string, unknown>;
}

export interface StorageKillFigures {
  /** Azurite killed while a snapshot run was writing. */
  readonly kills: number;
  /** Of those, runs that failed because of it (the kill really landed mid-run). */
  readonly runsBroken: number;
  /** Snapshots complete and intact after the next run. */
  readonly recovered: number;
  /** Snapshots due that the archive does not hold, intact, after the next run. */
  readonly lost: number;
}

export interface OversizeFigures {
  /** Bytes the simulator offered (streamed, no Content-Length). */
  readonly offeredBytes: number;
  /** GRAPH_MAX_DOWNLOAD_BYTES. */
  readonly limitBytes: number;
  readonly status: number;
  readonly ms: number;
  /** How much the host's resident memory grew meanwhile. */
  readonly rssGrowthMiB: number;
}

export interface LoadResults {
  readonly suite: 'load';
  readonly generatedAt: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly chaos: Record<string, number>;
  readonly connections: number;
  readonly load: LoadSummary;
  /** Report API calls the host made during the load, and what its budget allows. */
  readonly graphCalls: { readonly count: number; readonly budget: number };
  readonly faultsInjected: Record<string, number>;
  readonly rss: { readonly startMiB: number; readonly endMiB: number; readonly peakMiB: number };
  readonly oversize: OversizeFigures;
  readonly storageKills: StorageKillFigures;
  readonly invariants: readonly Invariant[];
}

export function goalMet(ratio: number, goal: Goal): boolean {
  switch (goal.at) {
    case 'least':
      return ratio >= goal.value;
    case 'most':
      return ratio <= goal.value;
    case 'exactly':
      return ratio === goal.value;
  }
}

export function formatGoal(goal: Goal): string {
  const sign = { least: '≥', most: '≤', exactly: '=' }[goal.at];
  return `${sign} ${goal.value}`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  if (Number.isInteger(ratio)) return String(ratio);
  return ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2);
}

/** 12345.6 → "12,346": whole numbers with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function mib(value: number): string {
  return `${value.toFixed(0)} MiB`;
}

export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function performanceTable(results: BenchResults): string {
  const rows = results.rows.map((row) => [
    row.id,
    row.measure,
    row.ours,
    row.reference || '—',
    row.ratio === undefined ? '—' : formatRatio(row.ratio),
    row.goal ? formatGoal(row.goal) : '—',
    row.goal && row.ratio !== undefined ? (goalMet(row.ratio, row.goal) ? 'met' : 'missed') : '—',
  ]);
  const broken = results.invariants.filter((invariant) => !invariant.holds);
  const verdict =
    broken.length === 0
      ? `All ${results.invariants.length} invariants held (${results.invariants.map((invariant) => invariant.name).join('; ')}).`
      : `Broken invariants: ${broken.map((invariant) => `${invariant.name} (${invariant.detail})`).join('; ')}.`;
  return [
    `${results.quick ? 'Quick run' : 'Run'} of ${results.generatedAt.slice(0, 10)} on ${machineLine(results.machine)}.`,
    '',
    markdownTable(['#', 'Measure', 'Ours', 'Reference', 'Ratio', 'Goal', ''], rows),
    '',
    verdict,
  ].join('\n');
}

export function brokenInvariants(invariants: readonly Invariant[]): Invariant[] {
  return invariants.filter((invariant) => !invariant.holds);
}
