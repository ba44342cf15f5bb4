import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { SEVERITIES, VITALS, VITAL_TYPES, acceptedUnits, type VitalType } from '@homeward/contracts';
import {
  BASELINES,
  BASELINE_TYPES,
  CHANGE_DIRECTIONS,
  RULE_KINDS,
  RULE_OPERATORS,
  normaliseRule,
  ruleValueInCatalogueUnit,
  type RuleDefinition,
  type RuleOperator,
} from './rule-definition';

/** Upper bounds keep one batch's history query small and catch hours typed as minutes. */
export const RULE_LIMITS = {
  maxWindowHours: 90 * 24,
  maxWindowDays: 90,
  maxLastN: 500,
  maxConsecutive: 100,
  maxSustainedMinutes: 7 * 24 * 60,
  maxGraceMinutes: 24 * 60,
  maxMissedHours: 90 * 24,
  maxConditions: 8,
} as const;

const positive = (maximum: number) => ({ type: 'number', exclusiveMinimum: 0, maximum });
const count = (maximum: number) => ({ type: 'integer', minimum: 1, maximum });

const persistence = {
  consecutive: {
    ...count(RULE_LIMITS.maxConsecutive),
    description: 'Fire only when this many evaluations in a row breach.',
  },
  sustainedMinutes: {
    ...positive(RULE_LIMITS.maxSustainedMinutes),
    description: 'Fire only when breaches have lasted this long without a reading that clears them.',
  },
};

const comparison = {
  operator: { $ref: '#/$defs/operator' },
  value: { type: 'number' },
  unit: {
    type: 'string',
    description: 'A UCUM code the vitals catalogue accepts for `type`; its catalogue unit when absent.',
  },
};

const averageFields = {
  type: { $ref: '#/$defs/vitalType' },
  lastN: { ...count(RULE_LIMITS.maxLastN), description: 'Average at most this many latest readings.' },
  windowDays: {
    ...positive(RULE_LIMITS.maxWindowDays),
    description: 'Only readings measured less than this long before.',
  },
  minReadings: {
    ...count(RULE_LIMITS.maxLastN),
    description: 'Evaluate only with at least this many readings (default lastN).',
  },
  ...comparison,
};

/**
 * Alert rules as JSON Schema (draft 2020-12), generated from the vitals catalogue like the
 * device contract; docs/rules.schema.json is written from it (scripts/write-rule-schema.ts).
 */
export function ruleDefinitionSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://homeward.health/schemas/rules.v1.json',
    title: 'Homeward alert rule v1',
    description:
      'One alert rule. Values may be stated in any unit the vitals catalogue accepts for the type and are normalised to the catalogue unit. See docs/rules.md.',
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: [...RULE_KINDS] } },
    allOf: RULE_KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { $ref: `#/$defs/${kind}` },
    })),
    $defs: {
      vitalType: { enum: [...VITAL_TYPES] },
      operator: { enum: [...RULE_OPERATORS] },
      severity: { enum: [...SEVERITIES] },
      unitOfType: {
        type: 'object',
        allOf: VITAL_TYPES.map((type) => ({
          if: { properties: { type: { const: type } } },
          then: { properties: { unit: { enum: acceptedUnits(type) } } },
        })),
      },
      thresholdCondition: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'operator', 'value'],
        properties: { kind: { const: 'threshold' }, type: { $ref: '#/$defs/vitalType' }, ...comparison },
        $ref: '#/$defs/unitOfType',
      },
      averageCondition: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'type', 'lastN', 'operator', 'value'],
        properties: { kind: { const: 'average' }, ...averageFields },
        $ref: '#/$defs/unitOfType',
      },
      threshold: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'type', 'operator', 'value', 'severity'],
        properties: {
          kind: { const: 'threshold' },
          type: { $ref: '#/$defs/vitalType' },
          ...comparison,
          severity: { $ref: '#/$defs/severity' },
          ...persistence,
        },
        $ref: '#/$defs/unitOfType',
      },
      any: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'conditions', 'severity'],
        properties: {
          kind: { const: 'any' },
          conditions: {
            type: 'array',
            minItems: 1,
            maxItems: RULE_LIMITS.maxConditions,
            items: {
              type: 'object',
              if: { properties: { kind: { const: 'average' } }, required: ['kind'] },
              then: { $ref: '#/$defs/averageCondition' },
              else: { $ref: '#/$defs/thresholdCondition' },
            },
          },
          severity: { $ref: '#/$defs/severity' },
          ...persistence,
        },
      },
      average: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'type', 'lastN', 'operator', 'value', 'severity'],
        properties: {
          kind: { const: 'average' },
          ...averageFields,
          severity: { $ref: '#/$defs/severity' },
          ...persistence,
        },
        $ref: '#/$defs/unitOfType',
      },
      change: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'type', 'direction', 'amount', 'severity'],
        properties: {
          kind: { const: 'change' },
          type: { $ref: '#/$defs/vitalType' },
          direction: { enum: [...CHANGE_DIRECTIONS] },
          amount: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Inclusive: a change of this much or more fires.',
          },
          unit: comparison.unit,
          windowHours: positive(RULE_LIMITS.maxWindowHours),
          graceMinutes: {
            type: 'number',
            minimum: 0,
            maximum: RULE_LIMITS.maxGraceMinutes,
            description: 'Slack on the far end of the window (default 180): daily weighings drift.',
          },
          baseline: { enum: [...BASELINES] },
          severity: { $ref: '#/$defs/severity' },
          ...persistence,
        },
        oneOf: [{ required: ['windowHours'] }, { required: ['baseline'] }],
        $ref: '#/$defs/unitOfType',
      },
      missed: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'type', 'hours', 'severity'],
        properties: {
          kind: { const: 'missed' },
          type: { $ref: '#/$defs/vitalType' },
          hours: positive(RULE_LIMITS.maxMissedHours),
          severity: { $ref: '#/$defs/severity' },
        },
      },
    },
  };
}

/** One reason a rule is refused, at a JSON pointer into the rule. */
export interface RuleProblem {
  path: string;
  message: string;
}

export type RuleValidation = { ok: true; rule: RuleDefinition } | { ok: false; problems: RuleProblem[] };

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: false });
const validateSchema = ajv.compile<RuleDefinition>(ruleDefinitionSchema());

/**
 * Validates a rule as received (parsed JSON) and returns it with values in catalogue units,
 * or every problem found, each with a path and a message an author can act on.
 */
export function validateRuleDefinition(input: unknown): RuleValidation {
  // Every `if` in the schema holds vacuously for a non-object, which would bury the one useful message.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '/', message: 'a rule must be a JSON object' }] };
  }
  if (!validateSchema(input)) {
    return { ok: false, problems: schemaProblems(input, validateSchema.errors ?? []) };
  }
  const problems = meaningProblems(input);
  return problems.length ? { ok: false, problems } : { ok: true, rule: normaliseRule(input) };
}

function schemaProblems(input: unknown, errors: readonly ErrorObject[]): RuleProblem[] {
  const kind = valueAt(input, '/kind');
  const what =
    typeof kind === 'string' && (RULE_KINDS as readonly string[]).includes(kind)
      ? `a ${kind} rule`
      : 'a rule';
  const problems = new Map<string, RuleProblem>();
  const add = (path: string, message: string) =>
    problems.set(`${path}\n${message}`, { path: path || '/', message });
  for (const error of errors) {
    // The branches of a oneOf fail by design; its own error says what was meant.
    if (error.schemaPath.includes('/oneOf/')) continue;
    const path = error.instancePath;
    const field = path.split('/').pop() ?? '';
    const value = JSON.stringify(valueAt(input, path));
    const inCondition =
      /^\/conditions\/\d+$/.test(path.replace(/\/[^/]+$/, '')) || /^\/conditions\/\d+$/.test(path);
    switch (error.keyword) {
      case 'if':
      case 'allOf':
        break;
      case 'required': {
        const missing = String((error.params as { missingProperty: string }).missingProperty);
        add(
          `${path}/${missing}`,
          `is required in ${/^\/conditions\/\d+$/.test(path) ? 'a condition' : what}`,
        );
        break;
      }
      case 'additionalProperties': {
        const extra = String((error.params as { additionalProperty: string }).additionalProperty);
        add(
          `${path}/${extra}`,
          `is not a field of ${/^\/conditions\/\d+$/.test(path) ? 'a condition' : what}`,
        );
        break;
      }
      case 'enum':
        add(path, enumMessage(input, path, field, value));
        break;
      case 'const':
        add(
          path,
          field === 'kind' && inCondition
            ? `${value} is not a condition kind: use "threshold" (or leave it out) or "average"`
            : `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`,
        );
        break;
      case 'oneOf':
        add(
          path,
          'a change rule needs exactly one of windowHours (change over a window) or baseline (change from the patient baseline)',
        );
        break;
      case 'exclusiveMinimum':
        add(path, `must be greater than ${String((error.params as { limit: number }).limit)} (got ${value})`);
        break;
      case 'minimum':
        add(path, `must be at least ${String((error.params as { limit: number }).limit)} (got ${value})`);
        break;
      case 'maximum':
        add(path, `must be at most ${String((error.params as { limit: number }).limit)} (got ${value})`);
        break;
      case 'minItems':
        add(path, 'needs at least one condition');
        break;
      case 'maxItems':
        add(path, `allows at most ${RULE_LIMITS.maxConditions} conditions`);
        break;
      case 'type':
        add(path, `must be ${article(String((error.params as { type: string }).type))} (got ${value})`);
        break;
      default:
        add(path, error.message ?? 'does not match the rule schema');
    }
  }
  return [...problems.values()];
}

function enumMessage(input: unknown, path: string, field: string, value: string): string {
  switch (field) {
    case 'kind':
      return `unknown rule kind ${value}; expected one of ${RULE_KINDS.join(', ')}`;
    case 'type':
      return `unknown vital type ${value}; expected one of ${VITAL_TYPES.join(', ')}`;
    case 'unit': {
      const type = valueAt(input, path.replace(/unit$/, 'type')) as VitalType;
      return `unit ${value} is not accepted for ${type}; use one of ${acceptedUnits(type).join(', ')}`;
    }
    case 'operator':
      return `unknown operator ${value}; expected one of ${RULE_OPERATORS.join(' ')}`;
    case 'severity':
      return `unknown severity ${value}; expected one of ${SEVERITIES.join(', ')}`;
    case 'direction':
      return `unknown direction ${value}; expected increase or decrease`;
    case 'baseline':
      return `unknown baseline ${value}; expected one of ${BASELINES.join(', ')}`;
    default:
      return `${value} is not an accepted value`;
  }
}

/** What the schema cannot say: rules that could never fire, or would fire on every reading. */
function meaningProblems(rule: RuleDefinition): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (rule.kind !== 'missed' && rule.consecutive !== undefined && rule.sustainedMinutes !== undefined) {
    problems.push({ path: '/sustainedMinutes', message: 'choose consecutive or sustainedMinutes, not both' });
  }
  switch (rule.kind) {
    case 'threshold':
      problems.push(...cutOffProblems('', rule));
      break;
    case 'average':
      problems.push(...averageProblems('', rule), ...cutOffProblems('', rule));
      break;
    case 'any':
      rule.conditions.forEach((condition, i) => {
        const at = `/conditions/${i}`;
        if (condition.kind === 'average') problems.push(...averageProblems(at, condition));
        problems.push(...cutOffProblems(at, condition));
      });
      break;
    case 'change': {
      const def = VITALS[rule.type];
      if (rule.baseline !== undefined && BASELINE_TYPES[rule.baseline] !== rule.type) {
        problems.push({
          path: '/baseline',
          message: `${rule.baseline} is a ${BASELINE_TYPES[rule.baseline]} baseline; it cannot be compared with ${rule.type}`,
        });
      }
      if (rule.baseline !== undefined && rule.graceMinutes !== undefined) {
        problems.push({
          path: '/graceMinutes',
          message: 'applies only to a change over windowHours, not to a baseline',
        });
      }
      const amount = ruleValueInCatalogueUnit(rule.type, rule.amount, rule.unit) ?? rule.amount;
      const span = def.plausible.max - def.plausible.min;
      if (amount >= span) {
        problems.push({
          path: '/amount',
          message: `a change of more than ${amount} ${def.unit} can never happen: ${rule.type} ranges ${def.plausible.min}-${def.plausible.max} ${def.unit}`,
        });
      }
      break;
    }
    case 'missed':
      break;
  }
  return problems;
}

function averageProblems(at: string, condition: { lastN: number; minReadings?: number }): RuleProblem[] {
  if (condition.minReadings === undefined || condition.minReadings <= condition.lastN) return [];
  return [
    {
      path: `${at}/minReadings`,
      message: `minReadings (${condition.minReadings}) cannot exceed lastN (${condition.lastN}): the average never has that many readings`,
    },
  ];
}

function cutOffProblems(
  at: string,
  condition: { type: VitalType; operator: RuleOperator; value: number; unit?: string },
): RuleProblem[] {
  const def = VITALS[condition.type];
  const value = ruleValueInCatalogueUnit(condition.type, condition.value, condition.unit) ?? condition.value;
  const { min, max } = def.plausible;
  const never = { '>=': value > max, '>': value >= max, '<=': value < min, '<': value <= min }[
    condition.operator
  ];
  const always = { '>=': value <= min, '>': value < min, '<=': value >= max, '<': value > max }[
    condition.operator
  ];
  const stated = `${condition.type} ${condition.operator} ${value} ${def.unit}`;
  const range = `${condition.type} readings range ${min}-${max} ${def.unit}`;
  if (never) return [{ path: `${at}/value`, message: `${stated} can never fire: ${range}` }];
  if (always) return [{ path: `${at}/value`, message: `${stated} would fire on every reading: ${range}` }];
  return [];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      body,
    );
}
