import type { VitalType } from '@homeward/contracts';
import { DEFAULT_RULES } from '../rules/default-rules';
import { describeRule } from '../rules/describe-rule';
import type { PatientBaselines, PublishedRule, RuleDefinition } from '../rules/rule-definition';
import { PROTOCOLS, type ProtocolKey } from '../rules/protocols';

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
  /** The patient's values rules compare with (`dry_weight`), in catalogue units. */
  baselines?: PatientBaselines;
}

export const NO_RULE_SET: PatientRuleSet = { keys: [], overrides: new Map() };

/** Where an effective rule comes from: the safety net, a protocol, or the patient's own override. */
export const RULE_SOURCES = ['default', 'protocol', 'override'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

/** A rule as it applies to a patient, with where it comes from. */
export interface EffectiveRule extends PublishedRule {
  source: RuleSource;
  /** The protocol it comes from; null for the default rules. */
  protocol: ProtocolKey | null;
  /** 0: as the protocol (or the defaults) publish it; n: the patient's override version n. */
  version: number;
  /** The override in force, if any. */
  override: RuleOverride | null;
}

const asDefault = (rule: PublishedRule): EffectiveRule => ({
  ...rule,
  source: 'default',
  protocol: null,
  version: 0,
  override: null,
});

/** What a patient without protocols or overrides is evaluated by; computed once. */
export const DEFAULT_EFFECTIVE_RULES: readonly EffectiveRule[] = DEFAULT_RULES.map(asDefault);

const templates = new Map<string, readonly EffectiveRule[]>([['', DEFAULT_EFFECTIVE_RULES]]);

/**
 * The rules of a patient's protocols as published (each once), over the defaults: a group the
 * protocols define replaces the default rules of that group, and every group they leave out
 * keeps its defaults. Protocols never remove the safety net for a vital they do not watch.
 */
export function templateRules(keys: readonly ProtocolKey[]): readonly EffectiveRule[] {
  const cacheKey = [...new Set(keys)].sort().join(',');
  const cached = templates.get(cacheKey);
  if (cached) return cached;
  const fromProtocols = new Map<string, EffectiveRule>();
  for (const protocol of PROTOCOLS) {
    if (!keys.includes(protocol.key)) continue;
    for (const rule of protocol.rules)
      if (!fromProtocols.has(rule.id))
        fromProtocols.set(rule.id, {
          ...rule,
          source: 'protocol',
          protocol: protocol.key,
          version: 0,
          override: null,
        });
  }
  const replaced = new Set([...fromProtocols.values()].map((rule) => rule.group));
  const rules = [
    ...DEFAULT_EFFECTIVE_RULES.filter((rule) => !replaced.has(rule.group)),
    ...fromProtocols.values(),
  ];
  templates.set(cacheKey, rules);
  return rules;
}

/**
 * The rules a patient is evaluated by: their template rules, each replaced by the patient's
 * override where one is in force. An override replaces its own rule and nothing else: it
 * keeps the rule's id and group (so it shares the episode of the rule it replaces) and is
 * described by what it now does.
 */
export function effectiveRules({ keys, overrides }: PatientRuleSet): readonly EffectiveRule[] {
  const template = templateRules(keys);
  if (overrides.size === 0) return template;
  return template.map((rule) => {
    const override = overrides.get(rule.id);
    if (!override) return rule;
    return {
      ...rule,
      source: 'override',
      definition: override.definition,
      description: describeRule(override.definition),
      citation: `Override v${override.version} for this patient: ${override.reason}`,
      version: override.version,
      override,
    };
  });
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
