import { effectiveRules, isDefaultRuleSet, NO_RULE_SET, type RuleOverride } from './patient-rules';

const override = (version: number): RuleOverride => ({
  version,
  definition: { kind: 'threshold', type: 'body_weight', operator: '>=', value: 120, severity: 'info' },
  reason: 'test',
  ownerId: null,
  expiresAt: null,
  createdBy: 'someone',
  createdAt: new Date(0),
});

describe("a patient's effective rules", () => {
  it('takes the protocol rules as published, at version 0, when nothing is overridden', () => {
    const rules = effectiveRules({ keys: ['heart_failure'], overrides: new Map() });
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((rule) => rule.protocol === 'heart_failure' && rule.version === 0)).toBe(true);
  });

  it('replaces an overridden rule, keeping its id, group and protocol, described by what it now does', () => {
    const rules = effectiveRules({
      keys: ['heart_failure'],
      overrides: new Map([['heart_failure.weight.day', override(3)]]),
    });
    const replaced = rules.find((rule) => rule.id === 'heart_failure.weight.day');
    expect(replaced).toMatchObject({
      group: 'weight.gain',
      protocol: 'heart_failure',
      version: 3,
      description: 'Weight ≥ 120 kg',
      definition: { kind: 'threshold', value: 120 },
    });
    expect(rules.filter((rule) => rule.version > 0)).toHaveLength(1);
  });

  it('ignores an override of a rule the patient does not have', () => {
    const rules = effectiveRules({ keys: [], overrides: new Map([['copd.spo2.low', override(1)]]) });
    expect(rules.every((rule) => rule.version === 0 && rule.protocol === null)).toBe(true);
  });

  it('sends only patients with neither protocols nor overrides down the default path', () => {
    expect(isDefaultRuleSet(undefined)).toBe(true);
    expect(isDefaultRuleSet(NO_RULE_SET)).toBe(true);
    expect(isDefaultRuleSet({ keys: [], overrides: new Map([['default.bp.grade2', override(1)]]) })).toBe(
      false,
    );
    expect(isDefaultRuleSet({ keys: ['copd'], overrides: new Map() })).toBe(false);
  });
});
