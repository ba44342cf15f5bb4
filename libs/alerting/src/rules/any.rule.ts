import { VITALS, type VitalType } from '@homeward/contracts';
import { averagesOf, describeAverage } from './average.rule';
import {
  meets,
  type AnyRuleDefinition,
  type AverageRuleCondition,
  type ThresholdRuleCondition,
} from './rule-definition';
import type { EngineReading, PreparedReading, RulePoint } from './rule-series';

/**
 * `any`: one point per measurement (readings sharing device, message and time) holding a
 * reading of a condition's type; breached when one condition holds. Conditions are tried in
 * order and the first that holds names the trigger, so 186/124 is triggered by the systolic.
 * A condition never pairs the systolic of one measurement with the diastolic of another.
 */
export function anyPoints<R extends EngineReading>(
  rule: AnyRuleDefinition,
  readings: readonly PreparedReading<R>[],
): RulePoint<R>[] {
  const types = new Set<VitalType>(rule.conditions.map((c) => c.type));
  const averages = new Map<AverageRuleCondition, Map<PreparedReading<R>, number | null>>();
  for (const condition of rule.conditions) {
    if (condition.kind !== 'average') continue;
    const series = readings.filter((r) => r.type === condition.type);
    const values = averagesOf(condition, series);
    averages.set(condition, new Map(series.map((r, i) => [r, values[i]])));
  }

  const points: RulePoint<R>[] = [];
  // prepareReadings sorts a measurement's readings next to each other.
  for (let start = 0; start < readings.length;) {
    let end = start + 1;
    while (end < readings.length && readings[end].measurementKey === readings[start].measurementKey) end++;
    const measurement = readings.slice(start, end).filter((r) => types.has(r.type));
    start = end;
    if (measurement.length === 0) continue;

    let first: RulePoint<R> | undefined;
    let fired: RulePoint<R> | undefined;
    for (const condition of rule.conditions) {
      const r = measurement.find((m) => m.type === condition.type);
      if (!r) continue;
      const point = conditionPoint(condition, r, averages.get(condition as AverageRuleCondition));
      first ??= point;
      if (point.breach) {
        fired = point;
        break;
      }
    }
    if (fired) points.push(fired);
    else if (first) points.push(first);
  }
  return points;
}

function conditionPoint<R extends EngineReading>(
  condition: ThresholdRuleCondition | AverageRuleCondition,
  r: PreparedReading<R>,
  averages: Map<PreparedReading<R>, number | null> | undefined,
): RulePoint<R> {
  if (condition.kind === 'average') {
    const average = averages?.get(r) ?? null;
    return {
      trigger: r.reading,
      atMs: r.atMs,
      breach: average !== null && meets(condition.operator, average, condition.value),
      value: average,
      detail: describeAverage(condition, average, condition.lastN),
    };
  }
  const unit = VITALS[condition.type].unit;
  return {
    trigger: r.reading,
    atMs: r.atMs,
    breach: meets(condition.operator, r.value, condition.value),
    value: r.value,
    detail: `${condition.type} ${r.value} ${unit} ${condition.operator} ${condition.value} ${unit}`,
  };
}
