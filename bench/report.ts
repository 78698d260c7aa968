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
  /** Absent in runs from before the phase existed. */
  readonly edgeOfTime?: import('./edgeOfTime').EdgeOfTimeFigures;
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

/** Tests counted under one tag: `[tag]` in a test's title or in a describe around it. */
export interface TagCount {
  readonly tag: string;
  readonly passed: number;
  readonly failed: number;
  /** Passed tests by class of hostile input (HOSTILE_CLASSES); absent in older results. */
  readonly byClass?: Readonly<Record<string, number>>;
  /** Titles of the failed ones, to say what broke. */
  readonly failures: readonly string[];
}

export interface TestCounts {
  readonly generatedAt: string;
  readonly files: readonly string[];
  readonly tags: readonly TagCount[];
}

/** The tags `npm run figures` counts, with what a passing test under each one shows. */
export const TAGS = {
  'bad-input': 'Bad inputs tried, each answered 4xx, never 5xx',
  'graph-fault': 'Graph faults tried and survived (retried, or answered the promised 502/503/504)',
} as const;

export type Tag = keyof typeof TAGS;

/**
 * The classes of hostile input the README lists, told apart by where a tagged test lives (a
 * test sits beside the code it attacks): the first class whose folders hold the test's file.
 * A Graph fault is always Graph's answer, wherever its test lives.
 */
export const HOSTILE_CLASSES = [
  { name: 'HTTP at the local host', folders: ['test/tools/localHost/'] },
  {
    name: 'tampered storage',
    folders: [
      'test/shared/archive/',
      'test/shared/cache/',
      'test/shared/storage/',
      'test/tools/snapshot',
    ],
  },
  { name: "Graph's answers", folders: ['test/shared/graph/', 'test/shared/reports/'] },
  { name: 'request parameters', folders: [] },
] as const;

export function hostileClass(tag: string, file: string): string {
  if (tag === 'graph-fault') return "Graph's answers";
  const path = file.split('\\').join('/');
  const found = HOSTILE_CLASSES.find((entry) =>
    entry.folders.some((folder) => path.includes(folder)),
  );
  return found?.name ?? 'request parameters';
}

export function bytesText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The reliability rows a load run measured, as [figure, value, counted by]. */
export function loadRows(results: LoadResults): string[][] {
  const source = `npm run bench:load${results.quick ? ' -- --quick' : ''}, ${results.generatedAt.slice(0, 10)}`;
  const { load, storageKills: kills, oversize, rss } = results;
  const faults = Object.entries(results.faultsInjected)
    .map(([kind, value]) => `${value} ${kind}`)
    .join(', ');
  return [
    [
      'Storage kills survived mid-snapshot',
      `${kills.recovered} of ${kills.kills} Azurite SIGKILLs as a run stored (${kills.runsBroken} broke the run); the next run completed the archive`,
      source,
    ],
    ['Snapshots lost', String(kills.lost), source],
    [
      'Load held',
      `${count(load.requests)} requests at c=${results.connections} over ${load.seconds.toFixed(0)} s, reports cached for 2 s, Graph faults injected (${faults}): ${load.errors} errors, ${load.timeouts} timeouts, ${load.serverErrors} 5xx, ${load.non2xx} non-2xx; ${results.graphCalls.count} Graph calls (budget ${results.graphCalls.budget} per 10 min); p99 ${load.latencyP99Ms} ms; host RSS ${mib(rss.startMiB)} → ${mib(rss.endMiB)}`,
      source,
    ],
    ...(results.edgeOfTime
      ? [
          [
            'Edge-of-time requests during load',
            `${count(results.edgeOfTime.sent)} requests at 9999-12-31 and a status over an index from 2000-01-01 to 9999-12-30: ${results.edgeOfTime.failed} failed or timed out; load p99 ${results.edgeOfTime.p99WithoutMs} ms without them, ${results.edgeOfTime.p99WithMs} ms with them`,
            source,
          ],
        ]
      : []),
    [
      'Largest download refused',
      `${bytesText(oversize.offeredBytes)} streamed without Content-Length (limit ${bytesText(oversize.limitBytes)}): answered ${oversize.status} in ${oversize.ms} ms, host peak RSS +${mib(Math.max(0, oversize.rssGrowthMiB))}`,
      source,
    ],
  ];
}

export function reliabilityFromLoad(results: LoadResults): string {
  return markdownTable(['Figure', 'Value', 'Counted by'], loadRows(results));
}

export function reliabilityTable(
  tests: TestCounts | undefined,
  load: LoadResults | undefined,
): string {
  const testRows = (Object.keys(TAGS) as Tag[]).map((tag) => {
    const counted = tests?.tags.find((entry) => entry.tag === tag);
    const value = counted
      ? `${counted.passed} of ${counted.passed + counted.failed}`
      : 'not counted yet';
    return [TAGS[tag], value, `tests tagged [${tag}] (npm run figures)`];
  });
  const byClass = new Map<string, number>();
  for (const entry of tests?.tags ?? [])
    for (const [name, passed] of Object.entries(entry.byClass ?? {}))
      byClass.set(name, (byClass.get(name) ?? 0) + passed);
  if (byClass.size > 0) {
    const value = HOSTILE_CLASSES.map(({ name }) => `${name}: ${byClass.get(name) ?? 0}`).join(
      '; ',
    );
    testRows.push([
      'Hostile inputs tried, by class (both tags)',
      value,
      'the tagged tests, by the folder of the code they attack (npm run figures)',
    ]);
  }
  const rows = load
    ? [...testRows, ...loadRows(load)]
    : [
        ...testRows,
        ['Load, storage kills, largest download', 'not measured yet', 'npm run bench:load'],
      ];
  return markdownTable(['Figure', 'Value', 'Counted by'], rows);
}
