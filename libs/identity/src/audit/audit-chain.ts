import { createHash } from 'node:crypto';

/**
 * The hash chain of audit_events, as the database writes it (migration
 * `1765200000000_audit-chain.sql`) and as anyone can recompute it (docs/architecture.md, "Audit").
 * Tamper evidence for HIPAA 45 CFR 164.312(b) and 164.312(c)(1).
 */

/** The `prev_hash` of a chain's first row. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The chain of rows without an organisation (an unauthenticated event naming none). */
export const AUDIT_NIL_CHAIN = '00000000-0000-0000-0000-000000000000';

/** A row's hashed fields as text, in canonical order; timestamps as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export interface AuditChainFields {
  id: string;
  chainSeq: string;
  organizationId: string | null;
  occurredAt: string;
  actorUserId: string | null;
  actorRole: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: string;
  requestId: string | null;
  prevHash: string;
}

/**
 * The canonical form: a JSON array of the fields, strings or null, separated by `, ` — exactly
 * how PostgreSQL prints `jsonb_build_array(...)::text`, whose string escapes match JSON.stringify's.
 */
export function auditCanonicalForm(row: AuditChainFields): string {
  const values = [
    row.id,
    row.chainSeq,
    row.organizationId,
    row.occurredAt,
    row.actorUserId,
    row.actorRole,
    row.action,
    row.resourceType,
    row.resourceId,
    row.patientId,
    row.outcome,
    row.requestId,
    row.prevHash,
  ];
  return `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
}

/** `row_hash`: lower-case hex SHA-256 of the canonical form's UTF-8 bytes. */
export function auditRowHash(row: AuditChainFields): string {
  return createHash('sha256').update(auditCanonicalForm(row), 'utf8').digest('hex');
}
