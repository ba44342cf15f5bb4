import { VITALS, displayUnit, type VitalType } from '@homeward/contracts';
import {
  meets,
  ruleValueInCatalogueUnit,
  type RuleDefinition,
  type RuleOperator,
  type RulePersistence,
  type ThresholdRuleCondition,
} from './rule-definition';

/** Short names coordinators read in the queue; the catalogue's LOINC displays are too long. */
export const VITAL_LABELS: Readonly<Record<VitalType, string>> = {
  blood_pressure_systolic: 'Systolic',
  blood_pressure_diastolic: 'Diastolic',
  heart_rate: 'Heart rate',
  body_weight: 'Weight',
  oxygen_saturation: 'SpO2',
  blood_glucose: 'Glucose',
  body_temperature: 'Temperature',
};

const OPERATOR_SIGNS: Readonly<Record<RuleOperator, string>> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** Units as people read them ("mmHg", "lb"): the UCUM codes stay in the rule. */
const unitOf = (type: VitalType, unit?: string) => displayUnit(unit ?? VITALS[type].unit);

function persistenceWords(rule: RulePersistence): string {
  const words: string[] = [];
  if (rule.consecutive && rule.consecutive > 1) words.push(`${rule.consecutive} times in a row`);
  if (rule.sustainedMinutes) words.push(`for ${rule.sustainedMinutes} min`);
  return words.length > 0 ? `, ${words.join(' and ')}` : '';
}

/**
 * A rule in words, in the units it was written in, as people read them ("Systolic ≥ 160 mmHg", "Weight up
 * 2 lb or more in 24 h"): what an overridden rule is called, since its template's description
 * no longer says what it does.
 */
export function describeRule(rule: RuleDefinition): string {
  switch (rule.kind) {
    case 'threshold':
      return `${VITAL_LABELS[rule.type]} ${OPERATOR_SIGNS[rule.operator]} ${rule.value} ${unitOf(rule.type, rule.unit)}${persistenceWords(rule)}`;
    case 'average':
      return `${averageWords(rule)}${persistenceWords(rule)}`;
    case 'any':
      return (
        rule.conditions
          .map((condition) =>
            condition.kind === 'average'
              ? averageWords(condition)
              : `${VITAL_LABELS[condition.type]} ${OPERATOR_SIGNS[condition.operator]} ${condition.value} ${unitOf(condition.type, condition.unit)}`,
          )
          .join(' or ') + persistenceWords(rule)
      );
    case 'change': {
      const direction = rule.direction === 'increase' ? 'up' : 'down';
      const against = rule.baseline ? `from ${rule.baseline.replace('_', ' ')}` : `in ${rule.windowHours} h`;
      return `${VITAL_LABELS[rule.type]} ${direction} ${rule.amount} ${unitOf(rule.type, rule.unit)} or more ${against}${persistenceWords(rule)}`;
    }
    case 'missed':
      return `No ${VITAL_LABELS[rule.type].toLowerCase()} reading for ${rule.hours} h`;
  }
}

function averageWords(rule: {
  type: VitalType;
  lastN: number;
  windowDays?: number;
  operator: RuleOperator;
  value: number;
  unit?: string;
}): string {
  const window = rule.windowDays ? ` within ${rule.windowDays} d` : '';
  return `Average ${VITAL_LABELS[rule.type].toLowerCase()} of the last ${rule.lastN} readings${window} ${OPERATOR_SIGNS[rule.operator]} ${rule.value} ${unitOf(rule.type, rule.unit)}`;
}

/** The breaching reading: its value as measured, in its unit. */
export interface BreachReading {
  type: VitalType;
  value: number;
  unit: string;
}

function valueWords(reading: BreachReading): string {
  return `${VITAL_LABELS[reading.type]} ${reading.value} ${displayUnit(reading.unit)}`;
}

function cutoffWords(condition: ThresholdRuleCondition, reading: BreachReading): string {
  const unit = unitOf(condition.type, condition.unit);
  // The unit is said again only when the cut-off is in another one than the reading.
  return `${OPERATOR_SIGNS[condition.operator]} ${condition.value}${unit === displayUnit(reading.unit) ? '' : ` ${unit}`}`;
}

/**
 * What fired, for the queue: the reading against the cut-off it crossed ("Systolic 186
 * mmHg ≥ 180"). Rules that fire on a trend or an average say the reading and then the rule
 * ("Weight 82.4 kg: weight up 2 kg or more in 48 h"); a missed-reading rule says what is
 * missing. Persistence is left to the rule's own description.
 */
export function describeBreach(rule: RuleDefinition, reading: BreachReading | null): string {
  if (rule.kind === 'missed' || !reading) return describeRule(rule);
  const thresholds: ThresholdRuleCondition[] =
    rule.kind === 'threshold'
      ? [rule]
      : rule.kind === 'any'
        ? rule.conditions.filter(
            (condition): condition is ThresholdRuleCondition => condition.kind !== 'average',
          )
        : [];
  const ofType = thresholds.filter((condition) => condition.type === reading.type);
  const crossed =
    ofType.find((condition) => {
      const cutoff = ruleValueInCatalogueUnit(condition.type, condition.value, condition.unit);
      const value = ruleValueInCatalogueUnit(reading.type, reading.value, reading.unit);
      return cutoff !== undefined && value !== undefined && meets(condition.operator, value, cutoff);
    }) ?? ofType[0];
  if (crossed) return `${valueWords(reading)} ${cutoffWords(crossed, reading)}`;
  const words = describeRule(rule);
  return `${valueWords(reading)}: ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
}
