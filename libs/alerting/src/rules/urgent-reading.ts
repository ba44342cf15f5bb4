import { DEFAULT_RULES } from './default-rules';
import { meets, type RuleOperator } from './rule-definition';

/** The single-reading conditions of the default critical rules, in catalogue units. */
const CRITICAL_DEFAULTS: ReadonlyArray<{ type: string; operator: RuleOperator; value: number }> =
  DEFAULT_RULES.filter((rule) => rule.definition.severity === 'critical').flatMap((rule) => {
    const definition = rule.definition;
    if (definition.kind === 'threshold') return [definition];
    if (definition.kind === 'any') return definition.conditions.filter((c) => c.kind !== 'average');
    return [];
  });

/**
 * True for a reading past a default critical threshold (a hypertensive crisis, SpO2 <= 91 %,
 * level 2 hypoglycaemia...): ingest commits its message without waiting for the batch to fill
 * or the flush interval to pass, so batching does not hold back a critical alert. Ingest loads
 * no care plans, so a patient's own stricter thresholds are not consulted here; such a reading
 * waits at most INGEST_FLUSH_MS, as every other does.
 */
export function pastCriticalDefault(reading: { type: string; value: number }): boolean {
  return CRITICAL_DEFAULTS.some(
    (condition) =>
      condition.type === reading.type && meets(condition.operator, reading.value, condition.value),
  );
}
