import { sampleProcess, type ProcSample } from './proc-stats';

export interface ProcessCost {
  process: string;
  peakRssMiB: number;
  cpuSeconds: number;
  cpuSecondsPer1000Readings: number;
}

/** CPU seconds each process spent between `begin()` and `end()`, and its peak RSS at the end. */
export class CostMeter {
  private readonly before = new Map<string, ProcSample>();

  constructor(private readonly processes: () => Array<{ label: string; pid: number | undefined }>) {}

  begin(): void {
    this.before.clear();
    for (const { label, pid } of this.processes()) {
      const sample = pid === undefined ? undefined : sampleProcess(pid);
      if (sample) this.before.set(label, sample);
    }
  }

  end(readings: number): ProcessCost[] {
    const costs: ProcessCost[] = [];
    for (const { label, pid } of this.processes()) {
      const start = this.before.get(label);
      const now = pid === undefined ? undefined : sampleProcess(pid);
      if (!start || !now) continue;
      costs.push(processCost(label, start, now, readings));
    }
    return costs;
  }
}

export function processCost(
  label: string,
  start: ProcSample,
  end: ProcSample,
  readings: number,
): ProcessCost {
  const cpuSeconds = end.cpuSeconds - start.cpuSeconds;
  return {
    process: label,
    peakRssMiB: Math.round((end.peakRssBytes / 1024 / 1024) * 10) / 10,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    cpuSecondsPer1000Readings:
      readings > 0 ? Math.round((cpuSeconds / (readings / 1000)) * 10_000) / 10_000 : Number.NaN,
  };
}
