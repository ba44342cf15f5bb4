import { DEFAULT_THRESHOLD_RULES } from './default-thresholds';
import { conditionHolds } from './threshold.rule';

const CRITICAL_DEFAULTS = DEFAULT_THRESHOLD_RULES.filter((rule) => rule.severity === 'critical').flatMap(
  (rule) => rule.anyOf,
);

/**
 * True for a reading past a default critical threshold (a hypertensive crisis, SpO2 <= 91 %,
 * level 2 hypoglycaemia...): ingest commits its message without waiting for the batch to fill
 * or the flush interval to pass, so batching does not hold back a critical alert. Ingest loads
 * no care plans, so a patient's own stricter thresholds are not consulted here; such a reading
 * waits at most INGEST_FLUSH_MS, as every other does.
 */
export function pastCriticalDefault(reading: { type: string; value: number }): boolean {
  return CRITICAL_DEFAULTS.some(
    (condition) => condition.type === reading.type && conditionHolds(condition, reading.value),
  );
}
