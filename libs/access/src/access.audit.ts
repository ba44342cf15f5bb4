import { defineAuditActions } from '@homeward/identity';

/** The audit actions of consent, break-glass and care teams. Stored in audit_events: add, never rename. */
export const ACCESS_AUDIT_ACTIONS = defineAuditActions([
  'consent.record',
  'consent.read',
  'consent.revoke',
  'patient.break_glass',
  'break_glass.list',
  'care_team.create',
  'care_team.rename',
  'care_team.delete',
  'care_team.list',
  'care_team.member.add',
  'care_team.member.remove',
  'care_team.patients.set',
]);

export type AccessAuditAction = (typeof ACCESS_AUDIT_ACTIONS)[number];
