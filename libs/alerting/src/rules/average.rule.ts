import { VITALS } from '@homeward/contracts';
import { meets, tidy, type AverageRuleCondition, type AverageRuleDefinition } from './rule-definition';
import { DAY_MS, type EngineReading, type PreparedReading, type RulePoint } from './rule-series';

export interface RunningAverages {
  /** The average ending at each reading; null while too few readings are there. */
  averages: (number | null)[];
  /** How many readings each average is over. */
  counts: number[];
}

/**
 * The average ending at each reading of `readings` (all of the condition's type, in time
 * order): the mean of at most `lastN` readings up to and including it, measured less than
 * `windowDays` before it; null while fewer than `minReadings` (default `lastN`) are there.
 * A sliding sum keeps it linear for a month of readings from a thousand patients.
 */
export function averagesOf(
  condition: AverageRuleCondition,
  readings: readonly PreparedReading[],
): RunningAverages {
  const windowMs = condition.windowDays === undefined ? Infinity : condition.windowDays * DAY_MS;
  const needed = condition.minReadings ?? condition.lastN;
  const prefix = new Float64Array(readings.length + 1);
  for (let i = 0; i < readings.length; i++) prefix[i + 1] = prefix[i] + readings[i].value;
  const averages: (number | null)[] = [];
  const counts: number[] = [];
  let start = 0;
  for (let i = 0; i < readings.length; i++) {
    while (
      start < i &&
      (i - start + 1 > condition.lastN || readings[i].atMs - readings[start].atMs >= windowMs)
    )
      start++;
    const count = i - start + 1;
    counts.push(count);
    averages.push(count >= needed ? tidy((prefix[i + 1] - prefix[start]) / count) : null);
  }
  return { averages, counts };
}

const NO_BREACH = Object.freeze({ breach: false, detail: '' });

/** Whether an average breaches, and for a breach what a clinician reads. */
export function judgeAverage(
  condition: AverageRuleCondition,
  average: number | null,
  count: number,
): { breach: boolean; detail: string } {
  if (average === null || !meets(condition.operator, average, condition.value)) return NO_BREACH;
  const unit = VITALS[condition.type].unit;
  const span = condition.windowDays === undefined ? '' : ` within ${condition.windowDays} d`;
  return {
    breach: true,
    detail: `average ${condition.type} ${average} ${unit} over the last ${count} readings${span} ${condition.operator} ${condition.value} ${unit}`,
  };
}

/** `average`: one point per reading of the type, comparing the average ending there. */
export function averagePoints<R extends EngineReading>(
  rule: AverageRuleDefinition,
  readings: readonly PreparedReading<R>[],
): RulePoint<R>[] {
  const series = readings.filter((r) => r.type === rule.type);
  const { averages, counts } = averagesOf(rule, series);
  return series.map((r, i) => {
    const { breach, detail } = judgeAverage(rule, averages[i], counts[i]);
    return { trigger: r.reading, atMs: r.atMs, value: averages[i], breach, detail };
  });
}
