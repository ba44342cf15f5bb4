import { defineAuditActions } from '@homeward/identity';

/** The audit actions of patient records and devices. Stored in audit_events: add, never rename. */
export const PATIENTS_AUDIT_ACTIONS = defineAuditActions([
  'patient.create',
  'patient.list',
  'patient.read',
  'patient.contact.set',
  'patient.access_log.read',
  'device.register',
  'device.list',
  'device.read',
  'device.deactivate',
  'device.reactivate',
  'device.rotate_secret',
  'device.reassign',
]);

export type PatientsAuditAction = (typeof PATIENTS_AUDIT_ACTIONS)[number];
