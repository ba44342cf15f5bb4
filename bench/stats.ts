/** p50 / p95 / p99 / max of a set of durations, in milliseconds. */
export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The `p`th percentile (0..100) of `values`, interpolated linearly between the two nearest
 * ranks (NumPy's default): p50 of [1, 2, 3, 4] is 2.5. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within 0..100`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export function latencyFigures(samples: readonly number[]): LatencyFigures {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: samples.length,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    p99Ms: round(percentile(samples, 99)),
    maxMs: round(samples.length > 0 ? Math.max(...samples) : Number.NaN),
  };
}

/** Events per second between two counts taken `elapsedMs` apart. */
export function ratePerSecond(from: number, to: number, elapsedMs: number): number {
  return elapsedMs > 0 ? ((to - from) * 1000) / elapsedMs : 0;
}

/** A deterministic generator of floats in [0, 1) (mulberry32): the same seed, the same run. */
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
