import type { MissedRuleDefinition } from './rule-definition';
import { HOUR_MS } from './rule-series';

/**
 * `missed`, for the scheduled job: true once `hours` or more have passed since the last reading
 * of the type (exactly `hours` counts as missed). With no reading at all, pass the time
 * monitoring started; null is treated as missed, since a patient who never measured has missed.
 */
export function evaluateMissed(rule: MissedRuleDefinition, lastReadingAt: Date | null, now: Date): boolean {
  if (lastReadingAt === null) return true;
  return now.getTime() - lastReadingAt.getTime() >= rule.hours * HOUR_MS;
}

/** When a reading taken at `lastReadingAt` stops covering the rule. */
export function missedDueAt(rule: MissedRuleDefinition, lastReadingAt: Date): Date {
  return new Date(lastReadingAt.getTime() + rule.hours * HOUR_MS);
}
