import { defineAuditActions } from '@homeward/identity';

/** The audit actions of vitals and ingest rejections. Stored in audit_events: add, never rename. */
export const MONITORING_AUDIT_ACTIONS = defineAuditActions(['vitals.read', 'ingest.rejections.read']);

export type MonitoringAuditAction = (typeof MONITORING_AUDIT_ACTIONS)[number];
