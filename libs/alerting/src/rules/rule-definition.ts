import { VITALS, type Severity, type VitalType } from '@homeward/contracts';

export const RULE_KINDS = ['threshold', 'any', 'change', 'average', 'missed'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_OPERATORS = ['>=', '>', '<=', '<'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const CHANGE_DIRECTIONS = ['increase', 'decrease'] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];

/** Patient values a `change` rule may be measured against; the caller passes them in. */
export const BASELINES = ['dry_weight'] as const;
export type BaselineKey = (typeof BASELINES)[number];
/** Which vital a baseline is a value of (and so which rule types may use it). */
export const BASELINE_TYPES: Readonly<Record<BaselineKey, VitalType>> = { dry_weight: 'body_weight' };

/** Per patient, in the catalogue unit of the baseline's type. */
export type PatientBaselines = Partial<Record<BaselineKey, number>>;

/**
 * Optional on every rule but `missed`: fire only when the last `consecutive` evaluations all
 * breached, or when breaches have lasted `sustainedMinutes` without a reading that clears them.
 */
export interface RulePersistence {
  consecutive?: number;
  sustainedMinutes?: number;
}

export interface ThresholdRuleCondition {
  kind?: 'threshold';
  type: VitalType;
  operator: RuleOperator;
  value: number;
  /** A UCUM code the catalogue accepts for `type`; the catalogue unit when absent. */
  unit?: string;
}

export interface AverageRuleCondition {
  kind: 'average';
  type: VitalType;
  /** Mean of at most the last `lastN` readings... */
  lastN: number;
  /** ...measured within `windowDays` of the reading being evaluated... */
  windowDays?: number;
  /** ...and only once at least `minReadings` (default `lastN`) are there to average. */
  minReadings?: number;
  operator: RuleOperator;
  value: number;
  unit?: string;
}

export interface ThresholdRuleDefinition extends Omit<ThresholdRuleCondition, 'kind'>, RulePersistence {
  kind: 'threshold';
  severity: Severity;
}

export interface AnyRuleDefinition extends RulePersistence {
  kind: 'any';
  conditions: Array<ThresholdRuleCondition | AverageRuleCondition>;
  severity: Severity;
}

export interface AverageRuleDefinition extends AverageRuleCondition, RulePersistence {
  severity: Severity;
}

export interface ChangeRuleDefinition extends RulePersistence {
  kind: 'change';
  type: VitalType;
  direction: ChangeDirection;
  /**
   * Inclusive: a change of `amount` or more fires ("2 lb or more in a day"), judged at the
   * precision readings are stored at (`changeMeetsAmount`).
   */
  amount: number;
  unit?: string;
  /** Compared with readings measured up to `windowHours` (+ `graceMinutes`) earlier... */
  windowHours?: number;
  /** Slack on the window's far end: daily weighings drift by minutes. Default 180. */
  graceMinutes?: number;
  /** ...or with the patient's baseline instead (exactly one of the two). */
  baseline?: BaselineKey;
  severity: Severity;
}

export interface MissedRuleDefinition {
  kind: 'missed';
  type: VitalType;
  hours: number;
  severity: Severity;
}

/** A rule as JSON, valid against docs/rules.schema.json (see `validateRuleDefinition`). */
export type RuleDefinition =
  | ThresholdRuleDefinition
  | AnyRuleDefinition
  | ChangeRuleDefinition
  | AverageRuleDefinition
  | MissedRuleDefinition;

/** A rule as an organisation holds it: its definition plus who it is and why. */
export interface ConfiguredRule<D extends RuleDefinition = RuleDefinition> {
  id: string;
  definition: D;
}

/** A rule as the defaults and the protocol templates publish it. */
export interface PublishedRule extends ConfiguredRule {
  /**
   * Rules of one group describe one finding at different severities (or durations): a patient
   * has one alert per group, which takes the worst severity. A protocol that defines a group
   * replaces the defaults of that group, and only of that group.
   */
  group: string;
  description: string;
  /** The clinical source of the cut-off, or a plain statement that it is a programme choice. */
  citation: string;
  /**
   * A new episode from this rule first asks the patient to re-measure the rule's types: the
   * alert waits as `pending_confirmation` (ALERT_CONFIRM_WITHIN_SECONDS) and opens when the
   * re-measurement breaches it again or none arrives. Marked where a single reading is often an
   * artefact (a cuff reading taken talking or without rest, a low spot check from a moving
   * probe) and guidelines ask for a repeat before acting.
   */
  remeasure?: true;
}

export const DEFAULT_CHANGE_GRACE_MINUTES = 180;

/** The vital types a rule reads. */
export function ruleTypes(rule: RuleDefinition): VitalType[] {
  return rule.kind === 'any' ? [...new Set(rule.conditions.map((c) => c.type))] : [rule.type];
}

/**
 * A rule value in the catalogue unit. Not `toCanonicalUnit`: that rounds to the precision a
 * reading is stored at, which would turn "2 lb" (0.907 kg) into 0.91 kg.
 */
export function ruleValueInCatalogueUnit(type: VitalType, value: number, unit?: string): number | undefined {
  const def = VITALS[type];
  if (unit === undefined || unit === def.unit) return value;
  if (!Object.prototype.hasOwnProperty.call(def.alternativeUnits, unit)) return undefined;
  return tidy(def.alternativeUnits[unit](value));
}

/** Rounds away binary noise (80.9 - 80 = 0.9000000000000057) so boundaries behave as written. */
export function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function convert(type: VitalType, value: number, unit: string | undefined): number {
  const converted = ruleValueInCatalogueUnit(type, value, unit);
  if (converted === undefined)
    throw new Error(`unit ${unit} is not accepted for ${type}; validate rules first`);
  return converted;
}

function normaliseCondition<C extends ThresholdRuleCondition | AverageRuleCondition>(condition: C): C {
  return {
    ...condition,
    value: convert(condition.type, condition.value, condition.unit),
    unit: VITALS[condition.type].unit,
  };
}

/**
 * The same rule with every value in the catalogue unit of its type (and `unit` saying so).
 * Throws for a unit the catalogue does not accept: rules are validated before they are stored.
 */
export function normaliseRule<D extends RuleDefinition>(rule: D): D {
  return normaliseAny(rule) as D;
}

function normaliseAny(rule: RuleDefinition): RuleDefinition {
  switch (rule.kind) {
    case 'threshold':
    case 'average':
      return normaliseCondition(rule);
    case 'any':
      return { ...rule, conditions: rule.conditions.map((c) => normaliseCondition(c)) };
    case 'change':
      return { ...rule, amount: convert(rule.type, rule.amount, rule.unit), unit: VITALS[rule.type].unit };
    case 'missed':
      return rule;
  }
}

/**
 * Whether a change (signed in the rule's direction) reaches a `change` rule's amount, both in
 * the catalogue unit. Readings are stored rounded to the catalogue precision (0.01 kg), so a
 * gain of exactly 2 lb weighed in pounds can arrive as 0.90 kg against 0.907 kg: one storage
 * step of slack keeps "2 lb or more" true for it.
 */
export function changeMeetsAmount(type: VitalType, change: number, amount: number): boolean {
  return change >= tidy(amount - 10 ** -VITALS[type].precision);
}

/** Whether `value` meets `operator cutoff`, both in the same unit. */
export function meets(operator: RuleOperator, value: number, cutoff: number): boolean {
  switch (operator) {
    case '>=':
      return value >= cutoff;
    case '>':
      return value > cutoff;
    case '<=':
      return value <= cutoff;
    case '<':
      return value < cutoff;
  }
}
