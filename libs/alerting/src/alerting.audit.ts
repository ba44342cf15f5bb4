import { defineAuditActions } from '@homeward/identity';

/** The audit actions of rules, alerts and escalation. Stored in audit_events: add, never rename. */
export const ALERTING_AUDIT_ACTIONS = defineAuditActions([
  'patient.protocols.set',
  'patient.rule_override.set',
  'patient.rule_override.end',
  'patient.rule_override.read',
  'patient.baselines.set',
  'patient.baselines.read',
  'alert.list',
  'alert.read',
  'alert.act',
  'alert.replay',
  'alert.stream',
  'escalation.policy.read',
  'escalation.policy.set',
  'oncall.read',
  'oncall.set',
]);

export type AlertingAuditAction = (typeof ALERTING_AUDIT_ACTIONS)[number];
