import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOLS } from './protocols';
import { ruleDefinitionSchema, validateRuleDefinition, type RuleProblem } from './rule-definition.schema';

function problemsOf(input: unknown): RuleProblem[] {
  const result = validateRuleDefinition(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.problems;
}

const threshold = {
  kind: 'threshold',
  type: 'blood_pressure_systolic',
  operator: '>=',
  value: 160,
  severity: 'warning',
};
const change = {
  kind: 'change',
  type: 'body_weight',
  direction: 'increase',
  amount: 0.9,
  unit: 'kg',
  windowHours: 24,
  severity: 'warning',
};

describe('validateRuleDefinition', () => {
  it('accepts the issue threshold shape, adding the catalogue unit', () => {
    expect(validateRuleDefinition(JSON.parse(JSON.stringify(threshold)))).toEqual({
      ok: true,
      rule: { ...threshold, unit: 'mm[Hg]' },
    });
  });

  it('accepts the issue change shape unchanged', () => {
    expect(validateRuleDefinition(JSON.parse(JSON.stringify(change)))).toEqual({ ok: true, rule: change });
  });

  it('normalises a weight stated in pounds to kilograms without rounding it to reading precision', () => {
    const result = validateRuleDefinition({ ...change, amount: 2, unit: '[lb_av]' });
    expect(result).toEqual({ ok: true, rule: { ...change, amount: 0.907185, unit: 'kg' } });
  });

  it('normalises temperature in Fahrenheit and glucose in mmol/L', () => {
    const fever = validateRuleDefinition({
      kind: 'threshold',
      type: 'body_temperature',
      operator: '>=',
      value: 100.4,
      unit: '[degF]',
      severity: 'info',
    });
    const hypo = validateRuleDefinition({
      kind: 'threshold',
      type: 'blood_glucose',
      operator: '<',
      value: 3.9,
      unit: 'mmol/L',
      severity: 'warning',
    });
    expect(fever.ok && fever.rule).toMatchObject({ value: 38, unit: 'Cel' });
    expect(hypo.ok && hypo.rule).toMatchObject({ value: 70.2624, unit: 'mg/dL' });
  });

  it('accepts an any rule mixing threshold and average conditions, and a missed rule', () => {
    expect(
      validateRuleDefinition({
        kind: 'any',
        conditions: [
          { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
          { kind: 'average', type: 'blood_pressure_diastolic', lastN: 7, operator: '>=', value: 85 },
        ],
        severity: 'critical',
      }).ok,
    ).toBe(true);
    expect(
      validateRuleDefinition({ kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' }).ok,
    ).toBe(true);
  });

  it.each<[string, unknown, RuleProblem[]]>([
    ['not an object', 42, [{ path: '/', message: 'a rule must be a JSON object' }]],
    ['no kind', { type: 'heart_rate' }, [{ path: '/kind', message: 'is required in a rule' }]],
    [
      'an unknown kind',
      { kind: 'trend' },
      [
        {
          path: '/kind',
          message: 'unknown rule kind "trend"; expected one of threshold, any, change, average, missed',
        },
      ],
    ],
    [
      'an unknown type',
      { ...threshold, type: 'pulse' },
      [
        {
          path: '/type',
          message:
            'unknown vital type "pulse"; expected one of blood_pressure_systolic, blood_pressure_diastolic, heart_rate, body_weight, oxygen_saturation, blood_glucose, body_temperature',
        },
      ],
    ],
    [
      'a unit the type does not accept (lb is "[lb_av]" in UCUM)',
      { ...change, unit: 'lb' },
      [{ path: '/unit', message: 'unit "lb" is not accepted for body_weight; use one of kg, [lb_av], g' }],
    ],
    [
      'a unit of another type',
      { ...threshold, unit: 'kg' },
      [
        {
          path: '/unit',
          message: 'unit "kg" is not accepted for blood_pressure_systolic; use one of mm[Hg], kPa',
        },
      ],
    ],
    [
      'a window of zero hours',
      { ...change, windowHours: 0 },
      [{ path: '/windowHours', message: 'must be greater than 0 (got 0)' }],
    ],
    [
      'a negative window',
      { ...change, windowHours: -24 },
      [{ path: '/windowHours', message: 'must be greater than 0 (got -24)' }],
    ],
    [
      'a zero amount',
      { ...change, amount: 0 },
      [{ path: '/amount', message: 'must be greater than 0 (got 0)' }],
    ],
    [
      'a change with neither window nor baseline',
      { ...change, windowHours: undefined },
      [
        {
          path: '/',
          message:
            'a change rule needs exactly one of windowHours (change over a window) or baseline (change from the patient baseline)',
        },
      ],
    ],
    [
      'a dry-weight baseline on heart rate',
      {
        kind: 'change',
        type: 'heart_rate',
        direction: 'increase',
        amount: 20,
        baseline: 'dry_weight',
        severity: 'info',
      },
      [
        {
          path: '/baseline',
          message: 'dry_weight is a body_weight baseline; it cannot be compared with heart_rate',
        },
      ],
    ],
    [
      'minReadings above lastN (an inverted range)',
      {
        kind: 'average',
        type: 'heart_rate',
        lastN: 3,
        minReadings: 5,
        operator: '>=',
        value: 100,
        severity: 'info',
      },
      [
        {
          path: '/minReadings',
          message: 'minReadings (5) cannot exceed lastN (3): the average never has that many readings',
        },
      ],
    ],
    [
      'a cut-off no reading can reach',
      { ...threshold, value: 400 },
      [
        {
          path: '/value',
          message:
            'blood_pressure_systolic >= 400 mm[Hg] can never fire: blood_pressure_systolic readings range 40-300 mm[Hg]',
        },
      ],
    ],
    [
      'a cut-off every reading meets',
      { kind: 'threshold', type: 'oxygen_saturation', operator: '<=', value: 100, severity: 'info' },
      [
        {
          path: '/value',
          message:
            'oxygen_saturation <= 100 % would fire on every reading: oxygen_saturation readings range 40-100 %',
        },
      ],
    ],
    [
      'both persistence fields',
      { ...threshold, consecutive: 2, sustainedMinutes: 30 },
      [{ path: '/sustainedMinutes', message: 'choose consecutive or sustainedMinutes, not both' }],
    ],
    [
      'persistence on a missed rule',
      { kind: 'missed', type: 'body_weight', hours: 24, severity: 'info', consecutive: 2 },
      [{ path: '/consecutive', message: 'is not a field of a missed rule' }],
    ],
    [
      'an unknown condition kind',
      {
        kind: 'any',
        conditions: [{ kind: 'avg', type: 'heart_rate', operator: '>', value: 100 }],
        severity: 'info',
      },
      [
        {
          path: '/conditions/0/kind',
          message: '"avg" is not a condition kind: use "threshold" (or leave it out) or "average"',
        },
      ],
    ],
    [
      'an empty any',
      { kind: 'any', conditions: [], severity: 'info' },
      [{ path: '/conditions', message: 'needs at least one condition' }],
    ],
    [
      'a fractional consecutive',
      { ...threshold, consecutive: 1.5 },
      [{ path: '/consecutive', message: 'must be an integer (got 1.5)' }],
    ],
  ])('refuses %s with a specific message', (_case, input, expected) => {
    expect(problemsOf(input)).toEqual(expected);
  });

  it('lists every problem of a rule at once', () => {
    const problems = problemsOf({
      kind: 'threshold',
      type: 'heart_rate',
      operator: '=>',
      value: '120',
      severity: 'urgent',
      note: 'x',
    });
    expect(problems).toEqual([
      { path: '/note', message: 'is not a field of a threshold rule' },
      { path: '/operator', message: 'unknown operator "=>"; expected one of >= > <= <' },
      { path: '/value', message: 'must be a number (got "120")' },
      { path: '/severity', message: 'unknown severity "urgent"; expected one of info, warning, critical' },
    ]);
  });
});

describe('docs/rules.schema.json', () => {
  it('is the schema the validator uses (regenerate with scripts/write-rule-schema.ts)', () => {
    const published: unknown = JSON.parse(
      readFileSync(join(__dirname, '../../../../docs/rules.schema.json'), 'utf8'),
    );
    expect(published).toEqual(ruleDefinitionSchema());
  });
});

describe('PROTOCOLS', () => {
  it('offers the five templates, COPD with and without hypercapnic respiratory failure', () => {
    expect(PROTOCOLS.map((p) => p.key)).toEqual([
      'hypertension',
      'heart_failure',
      'copd',
      'copd_hypercapnic',
      'diabetes',
    ]);
  });

  it.each(PROTOCOLS.flatMap((p) => p.rules.map((rule) => [rule.id, rule] as const)))(
    '%s validates against the schema and cites a source',
    (_id, rule) => {
      expect(validateRuleDefinition(rule.definition)).toMatchObject({ ok: true });
      expect(rule.citation.trim().length).toBeGreaterThan(20);
      expect(rule.description.trim()).not.toBe('');
    },
  );

  it('gives every rule a unique id under its protocol key', () => {
    const ids = PROTOCOLS.flatMap((p) => p.rules.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const protocol of PROTOCOLS)
      for (const rule of protocol.rules) expect(rule.id.startsWith(`${protocol.key}.`)).toBe(true);
  });
});
