import { SEVERITY_RANK, type Severity } from '@homeward/contracts';
import { effectiveRules, type EffectiveRule, type RuleOverride } from '../protocols/patient-rules';
import { evaluateMissed } from '../rules/missed.rule';
import type { MissedRuleDefinition } from '../rules/rule-definition';
import type { ProtocolKey } from '../rules/protocols';

/** A patient's protocols with when each was set (monitoring by its rules started then), and overrides in force. */
export interface MissedCandidate {
  patientId: string;
  protocols: ReadonlyArray<{ key: ProtocolKey; setAt: Date }>;
  /** By rule id: a missed rule's override stays a missed rule (hours, type, severity may change). */
  overrides?: ReadonlyMap<string, RuleOverride>;
}

export type MissedRule = EffectiveRule & { definition: MissedRuleDefinition };

/** What is known of a patient's alerts of one missed group. */
export interface MissedEpisodeState {
  /** An alert of the group is open, acknowledged, escalated or pending. */
  active: boolean;
  /** The latest gap an alert of the group was raised for. */
  lastMissedSince: Date | null;
}

/** A missed reading to raise. */
export interface MissedDue {
  patientId: string;
  rule: MissedRule;
  /** The patient's last reading of the type; null if they never measured it. */
  lastReadingAt: Date | null;
  /** The start of the gap: the last reading, or when monitoring started if that is later. */
  since: Date;
}

const NO_OVERRIDES: ReadonlyMap<string, RuleOverride> = new Map();

/**
 * `missed` rules of a patient's protocols, with the patient's overrides in force; the default
 * thresholds have none, and an override never turns a reading rule into a missed one.
 */
export function missedRules(
  keys: readonly ProtocolKey[],
  overrides: ReadonlyMap<string, RuleOverride> = NO_OVERRIDES,
): MissedRule[] {
  if (keys.length === 0) return [];
  return effectiveRules({ keys, overrides }).filter(
    (rule): rule is MissedRule => rule.definition.kind === 'missed',
  );
}

export const pairKey = (patientId: string, typeOrGroup: string): string => `${patientId}|${typeOrGroup}`;

/**
 * The missed readings to raise now, at most one per patient and rule group (the most severe of
 * the group's rules that are due). A gap is measured from the later of the last reading of the
 * type and the moment the rule's protocol was set, so a patient is never "missing" readings
 * from before they were monitored. Nothing is raised while an alert of the group is active, nor
 * for a gap an alert was raised for before (resolved or dismissed): a new gap starts only when
 * a new reading arrives.
 *
 * `lastReadings` and `episodes` are keyed by `pairKey(patient, type)` and `pairKey(patient, group)`.
 */
export function selectMissed(input: {
  candidates: readonly MissedCandidate[];
  lastReadings: ReadonlyMap<string, Date>;
  episodes: ReadonlyMap<string, MissedEpisodeState>;
  now: Date;
}): MissedDue[] {
  const due: MissedDue[] = [];
  for (const { patientId, protocols, overrides } of input.candidates) {
    const setAt = new Map(protocols.map((protocol) => [protocol.key, protocol.setAt]));
    const byGroup = new Map<string, MissedDue>();
    const keys = protocols.map((protocol) => protocol.key);
    for (const rule of missedRules(keys, overrides)) {
      const started = rule.protocol ? setAt.get(rule.protocol) : undefined;
      if (!started) continue;
      const lastReadingAt = input.lastReadings.get(pairKey(patientId, rule.definition.type)) ?? null;
      const since = lastReadingAt && lastReadingAt > started ? lastReadingAt : started;
      if (!evaluateMissed(rule.definition, since, input.now)) continue;
      const episode = input.episodes.get(pairKey(patientId, rule.group));
      if (episode?.active) continue;
      if (episode?.lastMissedSince && episode.lastMissedSince >= since) continue;
      const current = byGroup.get(rule.group);
      if (!current || worse(rule.definition.severity, current.rule.definition.severity))
        byGroup.set(rule.group, { patientId, rule, lastReadingAt, since });
    }
    due.push(...byGroup.values());
  }
  return due;
}

function worse(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] > SEVERITY_RANK[b];
}
