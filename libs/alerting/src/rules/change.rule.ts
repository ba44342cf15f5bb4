import { VITALS } from '@homeward/contracts';
import {
  DEFAULT_CHANGE_GRACE_MINUTES,
  changeMeetsAmount,
  tidy,
  type ChangeRuleDefinition,
  type PatientBaselines,
} from './rule-definition';
import { HOUR_MS, MINUTE_MS, type EngineReading, type PreparedReading, type RulePoint } from './rule-series';

/**
 * `change`: one point per reading of the type. Against a window, the reading is compared with
 * the lowest (for an increase) or highest (for a decrease) reading measured before it within
 * `windowHours` + `graceMinutes`, so the largest rise within the window counts. Against a
 * baseline, with the patient's value. Breached only when the change is MORE than `amount`.
 * Returns undefined when the rule needs a baseline the patient does not have.
 */
export function changePoints<R extends EngineReading>(
  rule: ChangeRuleDefinition,
  readings: readonly PreparedReading<R>[],
  baselines: PatientBaselines = {},
): RulePoint<R>[] | undefined {
  const series = readings.filter((r) => r.type === rule.type);
  const unit = VITALS[rule.type].unit;
  const sign = rule.direction === 'increase' ? 1 : -1;

  if (rule.baseline !== undefined) {
    const baseline = baselines[rule.baseline];
    if (baseline === undefined) return undefined;
    return series.map((r) => {
      const change = tidy(r.value - baseline);
      const breach = changeMeetsAmount(rule.type, sign * change, rule.amount);
      const side = change >= 0 ? 'above' : 'below';
      return {
        trigger: r.reading,
        atMs: r.atMs,
        breach,
        value: change,
        detail: breach
          ? `${rule.type} ${r.value} ${unit} is ${Math.abs(change)} ${unit} ${side} ${rule.baseline} ${baseline} ${unit}`
          : '',
      };
    });
  }

  const reachMs =
    (rule.windowHours ?? 0) * HOUR_MS + (rule.graceMinutes ?? DEFAULT_CHANGE_GRACE_MINUTES) * MINUTE_MS;
  // Indices of candidate references, best (lowest for an increase) first: a monotonic deque
  // keeps each reading's comparison O(1) however dense the readings are.
  const deque: number[] = [];
  let head = 0;
  let next = 0;
  const points: RulePoint<R>[] = [];
  for (let i = 0; i < series.length; i++) {
    const r = series[i];
    while (next < i && series[next].atMs < r.atMs) {
      const value = series[next].value;
      while (deque.length > head && sign * series[deque[deque.length - 1]].value >= sign * value) deque.pop();
      deque.push(next++);
    }
    while (deque.length > head && series[deque[head]].atMs < r.atMs - reachMs) head++;
    if (deque.length === head) {
      points.push({ trigger: r.reading, atMs: r.atMs, breach: false, value: null, detail: '' });
      continue;
    }
    const reference = series[deque[head]].value;
    const change = tidy(r.value - reference);
    const breach = changeMeetsAmount(rule.type, sign * change, rule.amount);
    const verb = change >= 0 ? 'rose' : 'fell';
    points.push({
      trigger: r.reading,
      atMs: r.atMs,
      breach,
      value: change,
      detail: breach
        ? `${rule.type} ${verb} ${Math.abs(change)} ${unit} within ${rule.windowHours} h (${reference} → ${r.value} ${unit})`
        : '',
    });
  }
  return points;
}
