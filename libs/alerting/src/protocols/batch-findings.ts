import { SEVERITY_RANK, VITAL_TYPES, type Severity, type VitalType } from '@homeward/contracts';
import { DEFAULT_THRESHOLD_RULES } from '../rules/default-thresholds';
import { describeBreach, type BreachReading } from '../rules/describe-rule';
import {
  DEFAULT_LATE_AFTER_MINUTES,
  evaluateRules,
  historyNeeded,
  type EvaluationInput,
} from '../rules/rule-engine';
import { ruleTypes } from '../rules/rule-definition';
import type { EngineReading } from '../rules/rule-series';
import { flagNote, judgesOneReading, unreliableFlags } from '../rules/measurement-quality';
import { PROTOCOL_KEYS, type ProtocolKey } from '../rules/protocols';
import { evaluateThresholds, measurementKey } from '../rules/threshold.rule';
import {
  NO_RULE_SET,
  effectiveRules,
  isDefaultRuleSet,
  templateRules,
  type PatientRuleSet,
} from './patient-rules';

const HOUR_MS = 3600_000;
/** Count-based rules (the last N readings) look back at most this far. */
export const MAX_HISTORY_DAYS = 30;

/** A rule that fired on a reading of the batch, whatever kind of rule it is. */
export interface BatchFinding<R extends EngineReading> {
  /** One alert per patient and group. */
  group: string;
  ruleId: string;
  /** 0: the rule as published; n: the patient's override version n. */
  ruleVersion: number;
  ruleKind: string;
  ruleDescription: string;
  /** What fired, in words (`describeBreach`). */
  summary: string;
  severity: Severity;
  trigger: R;
  /** The trigger was measured long before it arrived. */
  late: boolean;
  /**
   * The alert first asks for a re-measurement of these types: the rule asks (`remeasure`), or
   * the trigger is `unreliable`.
   */
  remeasure?: readonly VitalType[];
  /** The trigger's flags that make its value unreliable (`measurement-quality.ts`); absent when none. */
  unreliable?: readonly string[];
}

/** `remeasure` and `unreliable` of a finding on `trigger` from a rule over `types`. */
function holdOf(
  trigger: EngineReading,
  types: readonly VitalType[],
  asks: boolean,
  judgesOneReading: boolean,
): Pick<BatchFinding<EngineReading>, 'remeasure' | 'unreliable'> {
  const unreliable = judgesOneReading ? unreliableFlags(trigger.type, trigger.flags) : [];
  return {
    ...(asks || unreliable.length > 0 ? { remeasure: types } : {}),
    ...(unreliable.length > 0 ? { unreliable } : {}),
  };
}

function isVitalType(type: string): type is VitalType {
  return (VITAL_TYPES as readonly string[]).includes(type);
}

/** The trigger as `describeBreach` reads it; readings of unknown types were rejected at ingest. */
function breachReading(reading: EngineReading): BreachReading | null {
  return isVitalType(reading.type) ? { type: reading.type, value: reading.value, unit: reading.unit } : null;
}

/** How far back the history of patients with `ruleSets` must reach before `earliest`. */
export function historyStart(ruleSets: ReadonlyMap<string, PatientRuleSet>, earliest: Date): Date {
  let hours = 0;
  for (const set of ruleSets.values()) {
    if (set.overrides.size > 0) hours = Math.max(hours, rulesHistoryHours(effectiveRules(set)));
    else for (const key of set.keys) hours = Math.max(hours, HISTORY_HOURS[key]);
  }
  return new Date(earliest.getTime() - hours * HOUR_MS);
}

/** Hours of history rules look back on; count-based rules get the whole cap. */
function rulesHistoryHours(
  rules: ReadonlyArray<{ definition: Parameters<typeof historyNeeded>[0][number] }>,
): number {
  let hours = 0;
  for (const need of Object.values(historyNeeded(rules.map((rule) => rule.definition))))
    hours = Math.max(hours, need.count > 0 ? MAX_HISTORY_DAYS * 24 : 0, need.hours);
  return Math.min(hours, MAX_HISTORY_DAYS * 24);
}

/** Per protocol, computed once: patients without overrides are the common case. */
const HISTORY_HOURS = Object.fromEntries(
  PROTOCOL_KEYS.map((key) => [key, rulesHistoryHours(templateRules([key]))]),
) as Record<ProtocolKey, number>;

/**
 * The findings of a batch: patients without protocols or overrides by the default thresholds,
 * the others by their effective rules over the batch and their history. Of the rules of one group that fire
 * on one measurement, only the most severe is kept.
 */
export function batchFindings<R extends EngineReading>(
  readings: readonly R[],
  ruleSets: ReadonlyMap<string, PatientRuleSet>,
  history: readonly EngineReading[],
  now: Date,
  options: Pick<EvaluationInput<R>, 'lateAfterMinutes'> = {},
): BatchFinding<R>[] {
  const findings: BatchFinding<R>[] = [];
  const lateAfterMs = (options.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES) * 60_000;
  const byDefaults = readings.filter((reading) => isDefaultRuleSet(ruleSets.get(reading.patientId)));
  for (const { rule, trigger } of evaluateThresholds([...byDefaults], DEFAULT_THRESHOLD_RULES)) {
    findings.push({
      group: rule.group,
      ruleId: rule.id,
      ruleVersion: 0,
      ruleKind: rule.kind,
      ruleDescription: rule.description,
      summary:
        describeBreach(
          {
            kind: 'any',
            severity: rule.severity,
            conditions: rule.anyOf.map((c) => ({ type: c.type, operator: c.op, value: c.value })),
          },
          breachReading(trigger),
        ) + flagNote(trigger.type, trigger.flags),
      severity: rule.severity,
      trigger,
      late: (trigger.receivedAt ?? now).getTime() - trigger.measuredAt.getTime() > lateAfterMs,
      ...holdOf(trigger, [...new Set(rule.anyOf.map((c) => c.type))], Boolean(rule.remeasure), true),
    });
  }

  const byProtocol = new Map<string, R[]>();
  for (const reading of readings) {
    if (isDefaultRuleSet(ruleSets.get(reading.patientId))) continue;
    byProtocol.set(reading.patientId, [...(byProtocol.get(reading.patientId) ?? []), reading]);
  }
  const historyOf = new Map<string, EngineReading[]>();
  for (const reading of history)
    historyOf.set(reading.patientId, [...(historyOf.get(reading.patientId) ?? []), reading]);
  for (const [patientId, newReadings] of byProtocol) {
    const rules = effectiveRules(ruleSets.get(patientId) ?? NO_RULE_SET);
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    const readingKey = (r: EngineReading) =>
      `${r.deviceId}|${r.messageId}|${r.type}|${r.measuredAt.toISOString()}`;
    // Triggers are readings of the batch; found again here with their own (richer) type.
    const fresh = new Map(newReadings.map((reading) => [readingKey(reading), reading]));
    const evaluation = evaluateRules<EngineReading>(rules, {
      newReadings,
      history: historyOf.get(patientId) ?? [],
      now,
      ...options,
    });
    const strongest = new Map<string, BatchFinding<R>>();
    for (const finding of evaluation.findings) {
      const rule = byId.get(finding.ruleId);
      // Missed-reading rules fire from their schedule, not from a batch.
      const trigger = finding.trigger && fresh.get(readingKey(finding.trigger));
      if (!rule || !trigger) continue;
      const key = `${measurementKey(trigger)}|${rule.group}`;
      const current = strongest.get(key);
      if (current && SEVERITY_RANK[current.severity] >= SEVERITY_RANK[finding.severity]) continue;
      strongest.set(key, {
        group: rule.group,
        ruleId: rule.id,
        ruleVersion: rule.version,
        ruleKind: finding.kind,
        ruleDescription: rule.description,
        summary:
          describeBreach(rule.definition, breachReading(trigger)) + flagNote(trigger.type, trigger.flags),
        severity: finding.severity,
        trigger,
        late: finding.late,
        ...holdOf(
          trigger,
          ruleTypes(rule.definition),
          Boolean(rule.remeasure),
          judgesOneReading(rule.definition),
        ),
      });
    }
    findings.push(...strongest.values());
  }
  return findings;
}
