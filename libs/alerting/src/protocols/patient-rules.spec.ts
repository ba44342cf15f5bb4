import { SEVERITY_RANK, VITALS, VITAL_TYPES, type Severity, type VitalType } from '@homeward/contracts';
import { PROTOCOL_KEYS, type ProtocolKey } from '../rules/protocols';
import type { EngineReading } from '../rules/rule-series';
import { batchFindings } from './batch-findings';
import {
  DEFAULT_EFFECTIVE_RULES,
  NO_RULE_SET,
  effectiveRules,
  templateRules,
  type PatientRuleSet,
  type RuleOverride,
} from './patient-rules';

const override = (version: number): RuleOverride => ({
  version,
  definition: { kind: 'threshold', type: 'body_weight', operator: '>=', value: 120, severity: 'info' },
  reason: 'test',
  ownerId: null,
  expiresAt: null,
  createdBy: 'someone',
  createdAt: new Date(0),
});

const AT = new Date('2026-12-01T08:00:00Z');

/** The worst severity one reading of `type` at `value` raises for a patient with `set`. */
function worst(set: PatientRuleSet, type: VitalType, value: number): Severity | 'none' {
  const reading: EngineReading = {
    patientId: 'p',
    deviceId: 'd',
    messageId: 'm',
    measuredAt: AT,
    receivedAt: AT,
    type,
    value,
    unit: VITALS[type].unit,
  };
  const severities = batchFindings([reading], new Map([['p', set]]), [], AT).map((f) => f.severity);
  return severities.length === 0
    ? 'none'
    : severities.reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a));
}

describe("a patient's effective rules", () => {
  it('are the defaults, marked source default, when there are neither protocols nor overrides', () => {
    const rules = effectiveRules(NO_RULE_SET);
    expect(rules).toBe(DEFAULT_EFFECTIVE_RULES);
    expect(rules.every((rule) => rule.source === 'default' && rule.protocol === null)).toBe(true);
  });

  it('keep every default group a protocol does not define, and replace the ones it does', () => {
    const rules = effectiveRules({ keys: ['heart_failure'], overrides: new Map() });
    const byGroup = (group: string) => rules.filter((rule) => rule.group === group).map((rule) => rule.id);
    // Heart failure watches weight and low pressure; the crisis, heart-rate, SpO2 and
    // temperature defaults stay.
    expect(byGroup('bp.high')).toEqual(['default.bp.crisis', 'default.bp.grade3', 'default.bp.grade2']);
    expect(byGroup('hr.high')).toEqual(['default.hr.high.critical', 'default.hr.high']);
    expect(byGroup('spo2.low')).toEqual(['default.spo2.critical', 'default.spo2.low']);
    expect(byGroup('temp.low')).toEqual(['default.temp.low']);
    expect(byGroup('bp.low')).toEqual(['heart_failure.bp.low']);
    expect(byGroup('weight.gain')).toEqual(['heart_failure.weight.day', 'heart_failure.weight.week']);
    expect(rules.find((rule) => rule.id === 'heart_failure.weight.day')).toMatchObject({
      source: 'protocol',
      protocol: 'heart_failure',
      version: 0,
    });
  });

  it('replace an overridden rule, keeping its id, group and protocol, described by what it now does', () => {
    const rules = effectiveRules({
      keys: ['heart_failure'],
      overrides: new Map([['heart_failure.weight.day', override(3)]]),
    });
    const replaced = rules.find((rule) => rule.id === 'heart_failure.weight.day');
    expect(replaced).toMatchObject({
      source: 'override',
      group: 'weight.gain',
      protocol: 'heart_failure',
      version: 3,
      description: 'Weight ≥ 120 kg',
      definition: { kind: 'threshold', value: 120 },
    });
    expect(rules.filter((rule) => rule.version > 0)).toHaveLength(1);
    // Only its own rule: the week rule of the same group and every default stay.
    expect(rules.map((rule) => rule.id)).toEqual(
      effectiveRules({ keys: ['heart_failure'], overrides: new Map() }).map((rule) => rule.id),
    );
  });

  it('let an override replace a default rule, and nothing else', () => {
    const rules = effectiveRules({ keys: [], overrides: new Map([['default.bp.grade2', override(1)]]) });
    expect(rules.filter((rule) => rule.source === 'override').map((rule) => rule.id)).toEqual([
      'default.bp.grade2',
    ]);
    expect(rules.map((rule) => rule.id)).toEqual(DEFAULT_EFFECTIVE_RULES.map((rule) => rule.id));
  });

  it('ignore an override of a rule the patient does not have', () => {
    const rules = effectiveRules({
      keys: [],
      overrides: new Map([['copd_hypercapnic.spo2.low', override(1)]]),
    });
    expect(rules.every((rule) => rule.version === 0 && rule.source === 'default')).toBe(true);
  });

  it('take each rule once when two protocols are combined', () => {
    const rules = templateRules(['hypertension', 'heart_failure']);
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['hypertension.bp.low', 'heart_failure.bp.low']));
    expect(ids).not.toContain('default.bp.low');
  });
});

/**
 * The safety net as a property: on every protocol and every combination of two, a reading of
 * any vital anywhere in its plausible range raises at least what the defaults raise. The one
 * exception is deliberate: SpO2 scale 2 for hypercapnic respiratory failure (BTS 2017), whose
 * prescribed target is 88-92 %.
 */
describe('protocols never lower what the defaults raise', () => {
  const combinations: ProtocolKey[][] = [
    ...PROTOCOL_KEYS.map((key) => [key]),
    ...PROTOCOL_KEYS.flatMap((a, i) => PROTOCOL_KEYS.slice(i + 1).map((b) => [a, b])),
  ];
  const deliberate = (keys: readonly ProtocolKey[], type: VitalType) =>
    keys.includes('copd_hypercapnic') && type === 'oxygen_saturation';

  it.each(combinations.map((keys) => [keys.join(' + '), keys] as const))('%s', (_name, keys) => {
    const lowered: string[] = [];
    for (const type of VITAL_TYPES) {
      if (deliberate(keys, type)) continue;
      const { min, max } = VITALS[type].plausible;
      const step = type === 'body_temperature' ? 0.1 : 1;
      for (let value = min; value <= max; value = Math.round((value + step) * 10) / 10) {
        const floor = worst(NO_RULE_SET, type, value);
        const got = worst({ keys, overrides: new Map() }, type, value);
        const rank = (s: Severity | 'none') => (s === 'none' ? -1 : SEVERITY_RANK[s]);
        if (rank(got) < rank(floor)) lowered.push(`${type} ${value}: ${got} < ${floor}`);
      }
    }
    expect(lowered).toEqual([]);
  });

  it('copd_hypercapnic still raises a critical alert at SpO2 83 % and asks to re-measure below 88 %', () => {
    const set = { keys: ['copd_hypercapnic'] as ProtocolKey[], overrides: new Map() };
    expect(worst(set, 'oxygen_saturation', 83)).toBe('critical');
    expect(worst(set, 'oxygen_saturation', 87)).toBe('warning');
    expect(worst(set, 'oxygen_saturation', 89)).toBe('none');
    const reading: EngineReading = {
      patientId: 'p',
      deviceId: 'd',
      messageId: 'm',
      measuredAt: AT,
      receivedAt: AT,
      type: 'oxygen_saturation',
      value: 86,
      unit: '%',
    };
    expect(batchFindings([reading], new Map([['p', set]]), [], AT)[0].remeasure).toEqual([
      'oxygen_saturation',
    ]);
  });
});
