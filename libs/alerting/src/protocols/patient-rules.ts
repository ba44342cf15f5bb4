import type { VitalType } from '@homeward/contracts';
import { DEFAULT_THRESHOLD_RULES } from '../rules/default-thresholds';
import { describeRule } from '../rules/describe-rule';
import type { RuleDefinition } from '../rules/rule-definition';
import { PROTOCOLS, type ProtocolKey, type ProtocolRule } from '../rules/protocols';

/** A patient's change to one of their rules: a version of its own, in force until it expires. */
export interface RuleOverride {
  version: number;
  definition: RuleDefinition;
  reason: string;
  /** The clinician answerable for it. */
  ownerId: string | null;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** What decides a patient's rules: their protocols and the overrides in force. */
export interface PatientRuleSet {
  keys: readonly ProtocolKey[];
  /** By rule id; only overrides in force (not ended, not expired). */
  overrides: ReadonlyMap<string, RuleOverride>;
}

export const NO_RULE_SET: PatientRuleSet = { keys: [], overrides: new Map() };

/** A rule as it applies to a patient, with where it comes from. */
export interface EffectiveRule extends ProtocolRule {
  /** The protocol it comes from; null for the default thresholds. */
  protocol: ProtocolKey | null;
  /** 0: as the protocol (or the defaults) publish it; n: the patient's override version n. */
  version: number;
  /** The override in force, if any. */
  override: RuleOverride | null;
}

/** The default thresholds as engine rules: what a patient without protocols is evaluated by. */
export const DEFAULT_RULES: readonly EffectiveRule[] = DEFAULT_THRESHOLD_RULES.map((rule) => ({
  id: rule.id,
  group: rule.group,
  description: rule.description,
  source: rule.source,
  ...(rule.remeasure ? { remeasure: rule.remeasure } : {}),
  protocol: null,
  version: 0,
  override: null,
  definition: {
    kind: 'any',
    severity: rule.severity,
    conditions: rule.anyOf.map((condition) => ({
      type: condition.type,
      operator: condition.op,
      value: condition.value,
    })),
  },
}));

/** The rules of a patient's protocols (each once), or the defaults when there are none, as published. */
export function templateRules(keys: readonly ProtocolKey[]): EffectiveRule[] {
  if (keys.length === 0) return [...DEFAULT_RULES];
  const rules = new Map<string, EffectiveRule>();
  for (const protocol of PROTOCOLS) {
    if (!keys.includes(protocol.key)) continue;
    for (const rule of protocol.rules)
      rules.set(rule.id, { ...rule, protocol: protocol.key, version: 0, override: null });
  }
  return [...rules.values()];
}

/**
 * The rules a patient is evaluated by: their protocols' (or the defaults), each replaced by the
 * patient's override where one is in force. An overridden rule keeps its id and group (so it
 * shares the episode of the rule it replaces) and is described by what it now does.
 */
export function effectiveRules({ keys, overrides }: PatientRuleSet): EffectiveRule[] {
  return templateRules(keys).map((rule) => {
    const override = overrides.get(rule.id);
    if (!override) return rule;
    return {
      ...rule,
      definition: override.definition,
      description: describeRule(override.definition),
      source: `Override v${override.version} for this patient: ${override.reason}`,
      version: override.version,
      override,
    };
  });
}

/** Whether a rule set is just the defaults: such patients take the fast threshold path. */
export function isDefaultRuleSet(set: PatientRuleSet | undefined): boolean {
  return !set || (set.keys.length === 0 && set.overrides.size === 0);
}

function typesOf(definition: RuleDefinition): VitalType[] {
  return definition.kind === 'any'
    ? definition.conditions.map((condition) => condition.type)
    : [definition.type];
}

/** The vital types each rule group looks at: readings of these types can clear its alert. */
export const GROUP_TYPES: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const groups = new Map<string, Set<string>>();
  const add = (group: string, types: VitalType[]) =>
    groups.set(group, new Set([...(groups.get(group) ?? []), ...types]));
  for (const rule of DEFAULT_RULES) add(rule.group, typesOf(rule.definition));
  for (const protocol of PROTOCOLS)
    for (const rule of protocol.rules) add(rule.group, typesOf(rule.definition));
  return groups;
})();
