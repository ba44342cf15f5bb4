import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_CONTRACT, oldestAcceptedMeasuredAt } from '@homeward/contracts';
import { migrationsDir } from './migrate';

/** Every `add_retention_policy('readings', interval '…')` in the migrations, in the order they run. */
function readingsRetentionIntervals(): string[] {
  const dir = migrationsDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .flatMap((file) =>
      [
        ...readFileSync(join(dir, file), 'utf8').matchAll(
          /add_retention_policy\(\s*'readings'\s*,\s*interval\s+'([^']+)'/gi,
        ),
      ].map((match) => match[1]),
    );
}

describe('readings retention and the device contract', () => {
  it('drops readings after exactly the years the device contract says they are kept', () => {
    const intervals = readingsRetentionIntervals();
    expect(intervals.length).toBeGreaterThan(0);
    expect(intervals[intervals.length - 1]).toBe(`${DEVICE_CONTRACT.retentionYears} years`);
  });

  it('accepts nothing that the retention policy would drop within the contract minimum', () => {
    const now = new Date('2026-11-25T08:00:00Z');
    const horizon = new Date('2016-11-25T08:00:00Z');
    const keptFor = oldestAcceptedMeasuredAt(now).getTime() - horizon.getTime();
    expect(keptFor).toBe(DEVICE_CONTRACT.minRetainedDays * 24 * 60 * 60 * 1000);
  });
});
