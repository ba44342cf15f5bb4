import { VITALS } from '@homeward/contracts';
import { meets, type ThresholdRuleDefinition } from './rule-definition';
import type { EngineReading, PreparedReading, RulePoint } from './rule-series';

/** `threshold`: one point per reading of the type, breached when the reading meets the cut-off. */
export function thresholdPoints<R extends EngineReading>(
  rule: ThresholdRuleDefinition,
  readings: readonly PreparedReading<R>[],
): RulePoint<R>[] {
  const unit = VITALS[rule.type].unit;
  const points: RulePoint<R>[] = [];
  for (const r of readings) {
    if (r.type !== rule.type) continue;
    const breach = meets(rule.operator, r.value, rule.value);
    // Details are built for breaches only: a backtest evaluates hundreds of thousands of points.
    const detail = breach ? `${rule.type} ${r.value} ${unit} ${rule.operator} ${rule.value} ${unit}` : '';
    points.push({ trigger: r.reading, atMs: r.atMs, breach, value: r.value, detail });
  }
  return points;
}
