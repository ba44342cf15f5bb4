import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import { runLoad, type LoadSummary } from '../devices-simulator/src/load-driver';
import { createLogger } from '../devices-simulator/src/logger';

/**
 * The simulator's warnings go to stderr, beside the harness's progress, so stdout holds only the
 * report. One of them is expected: the per-device budget warning, although the platform under
 * test runs with the budget off.
 */
export const loadLogger = createLogger({
  minLevel: 'warn',
  write: (line) => void process.stderr.write(`${line}\n`),
});

/**
 * The background load other measurements run under: `ratePerSecond` from `devices` until
 * `signal` aborts. `onStarted` is called (repeatedly, every 250 ms) once every device is
 * connected and the paced load runs.
 */
export function runBackgroundLoad(
  devices: readonly ResolvedDevice[],
  options: { seed: string; ratePerSecond: number; signal: AbortSignal; onStarted: () => void },
): Promise<LoadSummary> {
  return runLoad({
    logger: loadLogger,
    devices,
    seed: options.seed,
    ratePerSecond: options.ratePerSecond,
    durationSeconds: 3600,
    signal: options.signal,
    connectTimeoutMs: 120_000,
    progressEveryMs: 250,
    onProgress: options.onStarted,
  });
}
