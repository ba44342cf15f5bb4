import type { Severity, VitalType } from '@homeward/contracts';
import { anyPoints } from './any.rule';
import { averagePoints } from './average.rule';
import { changePoints } from './change.rule';
import { persistentBreaches } from './persistence.rule';
import {
  DEFAULT_CHANGE_GRACE_MINUTES,
  normaliseRule,
  ruleTypes,
  type ConfiguredRule,
  type PatientBaselines,
  type RuleDefinition,
  type RuleKind,
} from './rule-definition';
import {
  MINUTE_MS,
  prepareReadings,
  readingKey,
  type EngineReading,
  type PreparedReading,
  type RulePoint,
} from './rule-series';
import { thresholdPoints } from './threshold-series.rule';

/** A reading is late when it reaches us more than this long after it was measured. */
export const DEFAULT_LATE_AFTER_MINUTES = 60;

export interface EvaluationInput<R extends EngineReading> {
  /** The batch being evaluated: findings are raised only at these readings. One patient. */
  newReadings: readonly R[];
  /** The same patient's earlier readings, as `historyNeeded` describes; may overlap the batch. */
  history?: readonly EngineReading[];
  baselines?: PatientBaselines;
  now: Date;
  /** Horizon for `late`: measuredAt older than receivedAt (or `now`) by more than this. */
  lateAfterMinutes?: number;
}

export interface EngineFinding<R extends EngineReading = EngineReading> {
  ruleId: string;
  kind: RuleKind;
  severity: Severity;
  trigger: R | null;
  /** The reading, average or change compared (catalogue unit). */
  value: number | null;
  breachedAt: Date;
  /** The trigger was measured long before it reached us: the alert describes the past. */
  late: boolean;
  detail: string;
}

export interface RuleEvaluation<R extends EngineReading = EngineReading> {
  findings: EngineFinding<R>[];
  /** Rules that could not be evaluated for this patient, e.g. a baseline the patient lacks. */
  skipped: Array<{ ruleId: string; reason: string }>;
}

/**
 * Definitions in catalogue units, each normalised once: the defaults and the protocols are
 * shared objects, evaluated for every patient of every batch.
 */
const normalised = new WeakMap<RuleDefinition, { rule: RuleDefinition; types: ReadonlySet<string> }>();

function prepared(definition: RuleDefinition): { rule: RuleDefinition; types: ReadonlySet<string> } {
  let entry = normalised.get(definition);
  if (!entry) {
    entry = { rule: normaliseRule(definition), types: new Set(ruleTypes(definition)) };
    normalised.set(definition, entry);
  }
  return entry;
}

/** A rule's points over a patient's prepared readings, or why it cannot be evaluated. */
export function rulePoints<R extends EngineReading>(
  definition: RuleDefinition,
  readings: readonly PreparedReading<R>[],
  baselines: PatientBaselines = {},
): RulePoint<R>[] | { reason: string } {
  const { rule } = prepared(definition);
  switch (rule.kind) {
    case 'threshold':
      return thresholdPoints(rule, readings);
    case 'any':
      return anyPoints(rule, readings);
    case 'average':
      return averagePoints(rule, readings);
    case 'change':
      return (
        changePoints(rule, readings, baselines) ?? {
          reason: `the patient has no ${rule.baseline} baseline`,
        }
      );
    case 'missed':
      return { reason: 'missed rules are evaluated by the scheduled job (evaluateMissed)' };
  }
}

/**
 * Evaluates one patient's new readings against rules, with the history window rules need.
 * Deterministic: the same rules, readings and `now` give the same findings in the same order
 * (by trigger time, then rule order), whatever order the readings came in. `missed` rules are
 * left to the scheduled job and are not reported as skipped.
 */
export function evaluateRules<R extends EngineReading>(
  rules: readonly ConfiguredRule[],
  input: EvaluationInput<R>,
): RuleEvaluation<R> {
  const { readings, freshOf } = mergeHistory(input.newReadings, input.history ?? []);
  const lateAfterMs = (input.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES) * MINUTE_MS;

  const findings: Array<EngineFinding<R> & { order: number }> = [];
  const skipped: RuleEvaluation<R>['skipped'] = [];
  const freshTypes = new Set(input.newReadings.map((reading) => reading.type));
  rules.forEach((rule, order) => {
    if (rule.definition.kind === 'missed') return;
    // Findings are raised only at new readings of the rule's own types.
    if (!sharesType(prepared(rule.definition).types, freshTypes)) return;
    const points = rulePoints(rule.definition, readings, input.baselines);
    if (!Array.isArray(points)) {
      skipped.push({ ruleId: rule.id, reason: points.reason });
      return;
    }
    const fires = persistentBreaches(points, rule.definition);
    points.forEach((point, i) => {
      const trigger = fires[i] ? freshOf(point.trigger) : undefined;
      if (!trigger) return;
      const arrivedMs = (trigger.receivedAt ?? input.now).getTime();
      findings.push({
        ruleId: rule.id,
        kind: rule.definition.kind,
        severity: rule.definition.severity,
        trigger,
        value: point.value,
        breachedAt: new Date(point.atMs),
        late: arrivedMs - point.atMs > lateAfterMs,
        detail: point.detail,
        order,
      });
    });
  });
  findings.sort((a, b) => a.breachedAt.getTime() - b.breachedAt.getTime() || a.order - b.order);
  return { findings: findings.map(({ order: _order, ...finding }) => finding), skipped };
}

/**
 * The batch merged into its history (which may already hold it: the batch is stored before it
 * is evaluated), prepared; the caller's new reading objects win, so a trigger is always one of
 * them (`freshOf`). Without history there is nothing to merge.
 */
function mergeHistory<R extends EngineReading>(
  newReadings: readonly R[],
  history: readonly EngineReading[],
): { readings: PreparedReading[]; freshOf: (reading: EngineReading) => R | undefined } {
  if (history.length === 0)
    return { readings: prepareReadings(newReadings), freshOf: (reading) => reading as R };
  const fresh = new Map(newReadings.map((reading) => [readingKey(reading), reading]));
  const merged = new Map<string, EngineReading>();
  for (const reading of history) merged.set(readingKey(reading), reading);
  for (const [key, reading] of fresh) merged.set(key, reading);
  return { readings: prepareReadings(merged.values()), freshOf: (reading) => fresh.get(readingKey(reading)) };
}

function sharesType(types: ReadonlySet<string>, present: ReadonlySet<string>): boolean {
  for (const type of types) if (present.has(type)) return true;
  return false;
}

/**
 * How much of a patient's history a batch needs, per type: every reading measured within
 * `hours` before the batch's earliest reading, plus the `count` readings before that. One
 * query per batch covers every rule. For `consecutive` on a `change` rule the earliest
 * earlier points may see part of their window only, which can delay (never invent) a finding.
 */
export interface HistoryNeed {
  hours: number;
  count: number;
}

export function historyNeeded(rules: readonly RuleDefinition[]): Partial<Record<VitalType, HistoryNeed>> {
  const needs: Partial<Record<VitalType, HistoryNeed>> = {};
  const need = (type: VitalType, hours: number, count: number) => {
    const current = needs[type] ?? { hours: 0, count: 0 };
    needs[type] = { hours: Math.max(current.hours, hours), count: Math.max(current.count, count) };
  };
  for (const rule of rules) {
    if (rule.kind === 'missed') continue;
    const extraHours = (rule.sustainedMinutes ?? 0) / 60;
    const extraCount = (rule.consecutive ?? 1) - 1;
    switch (rule.kind) {
      case 'threshold':
        need(rule.type, extraHours, extraCount);
        break;
      case 'average':
        need(rule.type, extraHours, rule.lastN - 1 + extraCount);
        break;
      case 'change': {
        const window =
          rule.baseline === undefined
            ? (rule.windowHours ?? 0) + (rule.graceMinutes ?? DEFAULT_CHANGE_GRACE_MINUTES) / 60
            : 0;
        need(rule.type, window + extraHours, extraCount);
        break;
      }
      case 'any':
        for (const condition of rule.conditions) {
          const own = condition.kind === 'average' ? condition.lastN - 1 : 0;
          need(condition.type, extraHours, own + extraCount);
        }
        break;
    }
  }
  return needs;
}
