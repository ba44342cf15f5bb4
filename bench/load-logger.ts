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
