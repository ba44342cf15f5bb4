import { VITALS, type VitalType } from '@homeward/contracts';
import type { RuleDefinition, RuleOperator, RulePersistence } from './rule-definition';

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

const unitOf = (type: VitalType, unit?: string) => unit ?? VITALS[type].unit;

function persistenceWords(rule: RulePersistence): string {
  const words: string[] = [];
  if (rule.consecutive && rule.consecutive > 1) words.push(`${rule.consecutive} times in a row`);
  if (rule.sustainedMinutes) words.push(`for ${rule.sustainedMinutes} min`);
  return words.length > 0 ? `, ${words.join(' and ')}` : '';
}

/**
 * A rule in words, in the units it was written in ("Systolic ≥ 160 mm[Hg]", "Weight up more
 * than 0.9 kg in 24 h"): what an overridden rule is called, since its template's description
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
      return `${VITAL_LABELS[rule.type]} ${direction} more than ${rule.amount} ${unitOf(rule.type, rule.unit)} ${against}${persistenceWords(rule)}`;
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
