import type { VitalType } from '@homeward/contracts';
import { DEFAULT_THRESHOLD_RULES } from '../rules/default-thresholds';
import type { RuleDefinition } from '../rules/rule-definition';
import { PROTOCOLS, type ProtocolKey, type ProtocolRule } from '../rules/protocols';

/** A rule as it applies to a patient, with where it comes from. */
export interface EffectiveRule extends ProtocolRule {
  /** The protocol it comes from; null for the default thresholds. */
  protocol: ProtocolKey | null;
}

/** The default thresholds as engine rules: what a patient without protocols is evaluated by. */
export const DEFAULT_RULES: readonly EffectiveRule[] = DEFAULT_THRESHOLD_RULES.map((rule) => ({
  id: rule.id,
  group: rule.group,
  description: rule.description,
  source: rule.source,
  ...(rule.remeasure ? { remeasure: rule.remeasure } : {}),
  protocol: null,
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

/** The rules of a patient's protocols (each once), or the defaults when there are none. */
export function effectiveRules(keys: readonly ProtocolKey[]): EffectiveRule[] {
  if (keys.length === 0) return [...DEFAULT_RULES];
  const rules = new Map<string, EffectiveRule>();
  for (const protocol of PROTOCOLS) {
    if (!keys.includes(protocol.key)) continue;
    for (const rule of protocol.rules) rules.set(rule.id, { ...rule, protocol: protocol.key });
  }
  return [...rules.values()];
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
