import { cpus, loadavg, release, type } from 'node:os';

/** What a figure was measured on: the same code gives other absolute numbers elsewhere. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly os: string;
  /** The 1-minute load average when the run started: other work shares these cores. */
  readonly loadAverage: number;
}

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    node: process.version,
    os: `${type()} ${release()}`,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.os}; load average ${machine.loadAverage} at start`;
}
