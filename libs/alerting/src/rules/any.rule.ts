import { VITALS, type VitalType } from '@homeward/contracts';
import { averagesOf, judgeAverage, type RunningAverages } from './average.rule';
import {
  meets,
  type AnyRuleDefinition,
  type AverageRuleCondition,
  type ThresholdRuleCondition,
} from './rule-definition';
import { sameMeasurement, type EngineReading, type PreparedReading, type RulePoint } from './rule-series';

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
  const averages = rule.conditions.map((condition) =>
    condition.kind === 'average'
      ? averagesOf(
          condition,
          readings.filter((r) => r.type === condition.type),
        )
      : undefined,
  );
  // The k-th reading of a type overall is the k-th of its own series, where its average sits.
  const seen = new Map<VitalType, number>();
  const positions = new Int32Array(readings.length);

  const points: RulePoint<R>[] = [];
  const measurement: number[] = [];
  // prepareReadings sorts a measurement's readings next to each other.
  for (let start = 0; start < readings.length;) {
    measurement.length = 0;
    let end = start;
    for (; end < readings.length && sameMeasurement(readings[end], readings[start]); end++) {
      const r = readings[end];
      if (!types.has(r.type)) continue;
      const position = seen.get(r.type) ?? 0;
      seen.set(r.type, position + 1);
      positions[end] = position;
      measurement.push(end);
    }
    start = end;
    if (measurement.length === 0) continue;

    let first: RulePoint<R> | undefined;
    let fired: RulePoint<R> | undefined;
    for (let c = 0; c < rule.conditions.length && !fired; c++) {
      const condition = rule.conditions[c];
      const index = measurement.find((m) => readings[m].type === condition.type);
      if (index === undefined) continue;
      const point = conditionPoint(condition, readings[index], averages[c], positions[index]);
      first ??= point;
      if (point.breach) fired = point;
    }
    const point = fired ?? first;
    if (point) points.push(point);
  }
  return points;
}

function conditionPoint<R extends EngineReading>(
  condition: ThresholdRuleCondition | AverageRuleCondition,
  r: PreparedReading<R>,
  running: RunningAverages | undefined,
  position: number,
): RulePoint<R> {
  if (condition.kind === 'average' && running) {
    const average = running.averages[position];
    const { breach, detail } = judgeAverage(condition, average, running.counts[position]);
    return { trigger: r.reading, atMs: r.atMs, value: average, breach, detail };
  }
  const unit = VITALS[condition.type].unit;
  const breach = meets(condition.operator, r.value, condition.value);
  return {
    trigger: r.reading,
    atMs: r.atMs,
    breach,
    value: r.value,
    detail: breach
      ? `${condition.type} ${r.value} ${unit} ${condition.operator} ${condition.value} ${unit}`
      : '',
  };
}
