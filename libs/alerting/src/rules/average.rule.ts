import { VITALS } from '@homeward/contracts';
import { meets, tidy, type AverageRuleCondition, type AverageRuleDefinition } from './rule-definition';
import { DAY_MS, type EngineReading, type PreparedReading, type RulePoint } from './rule-series';

/**
 * The average ending at each reading of `readings` (all of the condition's type, in time
 * order): the mean of at most `lastN` readings up to and including it, measured less than
 * `windowDays` before it; null while fewer than `minReadings` (default `lastN`) are there.
 * A sliding sum keeps it linear for a month of readings from a thousand patients.
 */
export function averagesOf(
  condition: AverageRuleCondition,
  readings: readonly PreparedReading[],
): (number | null)[] {
  const windowMs = condition.windowDays === undefined ? Infinity : condition.windowDays * DAY_MS;
  const needed = condition.minReadings ?? condition.lastN;
  const prefix = new Float64Array(readings.length + 1);
  for (let i = 0; i < readings.length; i++) prefix[i + 1] = prefix[i] + readings[i].value;
  const averages: (number | null)[] = [];
  let start = 0;
  for (let i = 0; i < readings.length; i++) {
    while (
      start < i &&
      (i - start + 1 > condition.lastN || readings[i].atMs - readings[start].atMs >= windowMs)
    )
      start++;
    const count = i - start + 1;
    averages.push(count >= needed ? tidy((prefix[i + 1] - prefix[start]) / count) : null);
  }
  return averages;
}

/** Describes an average for a clinician. */
export function describeAverage(
  condition: AverageRuleCondition,
  average: number | null,
  count: number,
): string {
  const unit = VITALS[condition.type].unit;
  const span = condition.windowDays === undefined ? '' : ` within ${condition.windowDays} d`;
  if (average === null)
    return `fewer than ${condition.minReadings ?? condition.lastN} ${condition.type} readings${span}`;
  return `average ${condition.type} ${average} ${unit} over the last ${Math.min(count, condition.lastN)} readings${span} ${condition.operator} ${condition.value} ${unit}`;
}

/** `average`: one point per reading of the type, comparing the average ending there. */
export function averagePoints<R extends EngineReading>(
  rule: AverageRuleDefinition,
  readings: readonly PreparedReading<R>[],
): RulePoint<R>[] {
  const series = readings.filter((r) => r.type === rule.type);
  const averages = averagesOf(rule, series);
  return series.map((r, i) => {
    const average = averages[i];
    return {
      trigger: r.reading,
      atMs: r.atMs,
      breach: average !== null && meets(rule.operator, average, rule.value),
      value: average,
      detail: describeAverage(rule, average, i + 1),
    };
  });
}
