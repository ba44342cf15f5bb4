/** A successful build's record, written to dist/.build-stamp.json. */
export interface BuildStamp {
  startedAtMs: number;
  durationMs: number;
}

export type BuildDecision = { build: true; reason: string } | { build: false; savedSeconds: number };

export function buildDecision(input: {
  stamp: BuildStamp | undefined;
  newestInputMs: number;
  outputsPresent: boolean;
  /** The newest modification time of the entry points the demo runs. */
  newestOutputMs?: number;
}): BuildDecision;
