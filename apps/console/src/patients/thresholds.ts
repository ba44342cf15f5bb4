import { SEVERITY_RANK, VITALS, type Severity } from '@homeward/contracts';
import { isVitalType } from './format';

/** A cut-off a patient's rules draw on a vital's chart, in the vital's catalogue unit. */
export interface Threshold {
  type: string;
  operator: '>=' | '>' | '<=' | '<';
  value: number;
  severity: Severity;
  ruleId: string;
}

interface RuleLike {
  id: string;
  definition: unknown;
}

const OPERATORS = new Set(['>=', '>', '<=', '<']);

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** A single-reading condition (`threshold`, or a condition of `any`) as a threshold; else undefined. */
function thresholdOf(condition: unknown, severity: unknown, ruleId: string): Threshold | undefined {
  const c = record(condition);
  if (!c || (c.kind !== undefined && c.kind !== 'threshold')) return undefined;
  const { type, operator, value, unit } = c;
  if (typeof type !== 'string' || !isVitalType(type) || typeof value !== 'number') return undefined;
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) return undefined;
  if (severity !== 'info' && severity !== 'warning' && severity !== 'critical') return undefined;
  const definition = VITALS[type];
  let converted = value;
  if (typeof unit === 'string' && unit !== definition.unit) {
    const convert = Object.prototype.hasOwnProperty.call(definition.alternativeUnits, unit)
      ? definition.alternativeUnits[unit]
      : undefined;
    if (!convert) return undefined;
    converted = Math.round(convert(value) * 100) / 100;
  }
  return { type, operator: operator as Threshold['operator'], value: converted, severity, ruleId };
}

/**
 * The fixed cut-offs among a patient's effective rules, per vital: `threshold` rules and the
 * threshold conditions of `any` rules. Windowed rules (change, average, missed) have no line
 * to draw. One line per value and direction, with the worst severity that uses it.
 */
export function thresholdsByType(rules: readonly RuleLike[]): Map<string, Threshold[]> {
  const found: Threshold[] = [];
  for (const rule of rules) {
    const definition = record(rule.definition);
    if (!definition) continue;
    if (definition.kind === 'threshold') {
      const threshold = thresholdOf(definition, definition.severity, rule.id);
      if (threshold) found.push(threshold);
    } else if (definition.kind === 'any' && Array.isArray(definition.conditions)) {
      for (const condition of definition.conditions) {
        const threshold = thresholdOf(condition, definition.severity, rule.id);
        if (threshold) found.push(threshold);
      }
    }
  }
  const byKey = new Map<string, Threshold>();
  for (const threshold of found) {
    const key = `${threshold.type}|${threshold.operator}|${threshold.value}`;
    const known = byKey.get(key);
    if (!known || SEVERITY_RANK[threshold.severity] > SEVERITY_RANK[known.severity])
      byKey.set(key, threshold);
  }
  const byType = new Map<string, Threshold[]>();
  for (const threshold of byKey.values())
    byType.set(threshold.type, [...(byType.get(threshold.type) ?? []), threshold]);
  return byType;
}

export const OPERATOR_SIGNS: Readonly<Record<Threshold['operator'], string>> = {
  '>=': '≥',
  '>': '>',
  '<=': '≤',
  '<': '<',
};
