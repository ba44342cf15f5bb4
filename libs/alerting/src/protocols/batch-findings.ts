import { SEVERITY_RANK, VITAL_TYPES, type Severity, type VitalType } from '@homeward/contracts';
import { describeBreach, type BreachReading } from '../rules/describe-rule';
import {
  DEFAULT_LATE_AFTER_MINUTES,
  evaluateRules,
  historyNeeded,
  type EvaluationInput,
} from '../rules/rule-engine';
import { ruleTypes, type RuleDefinition } from '../rules/rule-definition';
import { measurementKey, type EngineReading } from '../rules/rule-series';
import { flagNote, judgesOneReading, unreliableFlags } from '../rules/measurement-quality';
import { NO_RULE_SET, effectiveRules, type EffectiveRule, type PatientRuleSet } from './patient-rules';

const HOUR_MS = 3600_000;
/** Count-based rules (the last N readings) look back at most this far. */
export const MAX_HISTORY_DAYS = 30;

/**
 * A meter's result outside its measuring range (a glucometer's HI or LO): the stored value is
 * the meter's limit and the true value is further out still, so whatever rule it breaches, the
 * finding is critical.
 */
export const OUT_OF_RANGE_FLAGS: ReadonlySet<string> = new Set([
  'above_range',
  'below_range',
  'result_above_device_range',
  'result_below_device_range',
]);

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

/** `remeasure` and `unreliable` of a finding on `trigger` from `rule`. */
function holdOf(
  trigger: EngineReading,
  rule: EffectiveRule,
): Pick<BatchFinding<EngineReading>, 'remeasure' | 'unreliable'> {
  const unreliable = judgesOneReading(rule.definition) ? unreliableFlags(trigger.type, trigger.flags) : [];
  return {
    ...(rule.remeasure || unreliable.length > 0 ? { remeasure: ruleTypes(rule.definition) } : {}),
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

function outOfRange(reading: EngineReading): boolean {
  return (reading.flags ?? []).some((flag) => OUT_OF_RANGE_FLAGS.has(flag));
}

/** How far back the history of patients with `ruleSets` must reach before `earliest`. */
export function historyStart(ruleSets: ReadonlyMap<string, PatientRuleSet>, earliest: Date): Date {
  let hours = 0;
  for (const set of ruleSets.values()) hours = Math.max(hours, rulesHistoryHours(effectiveRules(set)));
  return new Date(earliest.getTime() - hours * HOUR_MS);
}

const historyHours = new WeakMap<readonly EffectiveRule[], number>();

/** Hours of history rules look back on; count-based rules get the whole cap. Cached per rule list. */
export function rulesHistoryHours(rules: readonly { definition: RuleDefinition }[]): number {
  const cached = historyHours.get(rules as readonly EffectiveRule[]);
  if (cached !== undefined) return cached;
  let hours = 0;
  for (const need of Object.values(historyNeeded(rules.map((rule) => rule.definition))))
    hours = Math.max(hours, need.count > 0 ? MAX_HISTORY_DAYS * 24 : 0, need.hours);
  hours = Math.min(hours, MAX_HISTORY_DAYS * 24);
  historyHours.set(rules as readonly EffectiveRule[], hours);
  return hours;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * The findings of a batch. Every patient is evaluated by one engine over their effective rules
 * (the defaults, their protocols' groups over them, their overrides), with the history those
 * rules need; patients absent from `ruleSets` have the defaults. Of the rules of one group that
 * fire on one measurement, only the most severe is kept.
 */
export function batchFindings<R extends EngineReading>(
  readings: readonly R[],
  ruleSets: ReadonlyMap<string, PatientRuleSet>,
  history: readonly EngineReading[],
  now: Date,
  options: Pick<EvaluationInput<R>, 'lateAfterMinutes'> = {},
): BatchFinding<R>[] {
  const lateAfterMinutes = options.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES;
  const historyOf = groupBy(history, (reading) => reading.patientId);
  const findings: BatchFinding<R>[] = [];
  for (const [patientId, newReadings] of groupBy(readings, (reading) => reading.patientId)) {
    const set = ruleSets.get(patientId) ?? NO_RULE_SET;
    findings.push(
      ...patientFindings(effectiveRules(set), {
        newReadings,
        history: historyOf.get(patientId) ?? [],
        baselines: set.baselines,
        now,
        lateAfterMinutes,
      }),
    );
  }
  return findings;
}

const byIdCache = new WeakMap<readonly EffectiveRule[], ReadonlyMap<string, EffectiveRule>>();

/** Rules by id, once per rule list: most patients share the defaults' or a protocol's list. */
function rulesById(rules: readonly EffectiveRule[]): ReadonlyMap<string, EffectiveRule> {
  let byId = byIdCache.get(rules);
  if (!byId) {
    byId = new Map(rules.map((rule) => [rule.id, rule]));
    byIdCache.set(rules, byId);
  }
  return byId;
}

/** One patient's findings, the most severe per measurement and group. */
function patientFindings<R extends EngineReading>(
  rules: readonly EffectiveRule[],
  input: EvaluationInput<R>,
): BatchFinding<R>[] {
  const byId = rulesById(rules);
  const strongest = new Map<string, BatchFinding<R>>();
  for (const finding of evaluateRules(rules, input).findings) {
    const rule = byId.get(finding.ruleId);
    // Missed-reading rules fire from their schedule, not from a batch.
    const trigger = finding.trigger;
    if (!rule || !trigger) continue;
    const severity: Severity = outOfRange(trigger) ? 'critical' : finding.severity;
    const key = `${measurementKey(trigger)}|${rule.group}`;
    const current = strongest.get(key);
    if (current && SEVERITY_RANK[current.severity] >= SEVERITY_RANK[severity]) continue;
    strongest.set(key, {
      group: rule.group,
      ruleId: rule.id,
      ruleVersion: rule.version,
      ruleKind: finding.kind,
      ruleDescription: rule.description,
      summary:
        describeBreach(rule.definition, breachReading(trigger)) + flagNote(trigger.type, trigger.flags),
      severity,
      trigger,
      late: finding.late,
      ...holdOf(trigger, rule),
    });
  }
  return [...strongest.values()];
}
