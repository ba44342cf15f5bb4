import { AUDIT_GENESIS_HASH, auditCanonicalForm, auditRowHash, type AuditChainFields } from './audit-chain';

const ROW: AuditChainFields = {
  id: '1',
  chainSeq: '1',
  organizationId: '4d4ccdd2-73f3-442c-a5bd-0217a9b80399',
  occurredAt: '2026-12-07T06:48:08.972728Z',
  actorUserId: null,
  actorRole: 'admin',
  action: 'a.b',
  resourceType: 'x',
  resourceId: null,
  patientId: null,
  outcome: 'allowed',
  requestId: null,
  prevHash: AUDIT_GENESIS_HASH,
};

describe('audit chain canonical form', () => {
  it('is the JSON array PostgreSQL prints for jsonb_build_array(...)::text', () => {
    // Printed by PostgreSQL 15 for this row: SELECT audit_event_canonical(a) FROM audit_events a.
    expect(auditCanonicalForm(ROW)).toBe(
      `["1", "1", "4d4ccdd2-73f3-442c-a5bd-0217a9b80399", "2026-12-07T06:48:08.972728Z", null, "admin", "a.b", "x", null, null, "allowed", null, "${AUDIT_GENESIS_HASH}"]`,
    );
  });

  it('escapes quotes, backslashes and control characters as PostgreSQL does', () => {
    expect(auditCanonicalForm({ ...ROW, resourceId: 'x"y\\z\n\u0001é' })).toContain(
      '"x\\"y\\\\z\\n\\u0001é"',
    );
  });

  it('hashes the UTF-8 bytes with SHA-256, in lower-case hex', () => {
    // sha256 of the canonical form above, as PostgreSQL's sha256(convert_to(..., 'UTF8')) gives it.
    expect(auditRowHash(ROW)).toBe('fe9c800d132ecf3f1ce2982e294d13fb79454c2365ee6f0bc07e68c9770e4a25');
  });

  it('changes with any field, including the previous hash', () => {
    const base = auditRowHash(ROW);
    expect(auditRowHash({ ...ROW, outcome: 'denied' })).not.toBe(base);
    expect(auditRowHash({ ...ROW, resourceId: '' })).not.toBe(base);
    expect(auditRowHash({ ...ROW, prevHash: 'f'.repeat(64) })).not.toBe(base);
  });
});
