import type { PoolClient } from 'pg';
import { Database } from '@homeward/platform';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import type { Principal } from '../principal';
import { IdentityModule } from '../identity.module';
import { AUDIT_GENESIS_HASH } from './audit-chain';
import { AuditService } from './audit.service';

/** The audit trail's hash chain and its insert-only rule, against real PostgreSQL. */
describe('audit chain: tamper evidence', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let audit: AuditService;
  let db: Database;
  let admins: Principal[];

  const record = (principal: Principal, n: number) =>
    audit.record(principal, 'patient.read', { resourceType: 'patient', resourceId: `r-${n}` });

  /** A session of the database owner (a superuser here) that skips the insert-only triggers. */
  async function asOwnerWithoutTriggers<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await database.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      return await work(client);
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
  }

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [IdentityModule],
      env: { JWT_SECRET: 'audit-chain-test-secret-0123456789abcdef' },
    });
    database = integration.database;
    audit = integration.moduleRef.get(AuditService);
    db = integration.moduleRef.get(Database);
    admins = [];
    for (let i = 0; i < 2; i++) {
      const organizationId = await createOrganization(database.pool, `Org ${i}`);
      const user = await createUser(database.pool, organizationId, 'admin');
      admins.push({ userId: user.id, organizationId, role: 'admin' });
    }
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('keeps both organisations’ chains whole under 50 parallel writers each', async () => {
    await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        db.transaction(async (tx) => {
          await audit.record(
            admins[n % 2],
            'patient.read',
            { resourceType: 'patient', resourceId: `p-${n}` },
            tx,
          );
        }),
      ),
    );
    for (const admin of admins) {
      const { rows } = await database.pool.query<{ chain_seq: string; prev_hash: string; row_hash: string }>(
        'SELECT chain_seq, prev_hash, row_hash FROM audit_events WHERE organization_id = $1 ORDER BY chain_seq',
        [admin.organizationId],
      );
      expect(rows.map((row) => Number(row.chain_seq))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(rows[0].prev_hash).toBe(AUDIT_GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].row_hash);
      // The verification is itself audited first: its own row is the 51st.
      await expect(audit.verifyChain(admin, { from: null, to: null })).resolves.toEqual({
        ok: true,
        checked: 51,
      });
    }
  });

  it('hashes text that needs escaping exactly as the TypeScript canonical form does', async () => {
    const organizationId = await createOrganization(database.pool, 'Org escapes');
    const user = await createUser(database.pool, organizationId, 'admin');
    const admin: Principal = { userId: user.id, organizationId, role: 'admin' };
    for (const resourceId of [
      'a"b\\c',
      'line\nbreak\ttab\r',
      '\u0001\u001f\u007f',
      'é 漢字 😀 \u2028 \u200d',
    ])
      await audit.record(admin, 'patient.read', { resourceType: 'patient', resourceId });
    await expect(audit.verifyChain(admin, { from: null, to: null })).resolves.toEqual({
      ok: true,
      checked: 5,
    });
  });

  it('chains events without an organisation separately', async () => {
    await audit.recordUnauthenticated({ role: 'livekit', organizationId: null }, 'patient.read', {
      resourceType: 'webhook',
      outcome: 'denied',
    });
    const { rows } = await database.pool.query<{ chain_seq: string; prev_hash: string }>(
      'SELECT chain_seq, prev_hash FROM audit_events WHERE organization_id IS NULL',
    );
    expect(rows).toEqual([{ chain_seq: '1', prev_hash: AUDIT_GENESIS_HASH }]);
  });

  it.each([
    ['UPDATE', "UPDATE audit_events SET outcome = 'denied'"],
    ['DELETE', 'DELETE FROM audit_events'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('refuses %s through the application’s pool', async (operation, sql) => {
    await expect(db.query(sql)).rejects.toThrow(`audit_events is insert-only: ${operation} refused`);
    const { rows } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    expect(Number(rows[0].n)).toBeGreaterThan(0);
  });

  it('names a row whose content was edited as content_changed', async () => {
    const [admin] = admins;
    const { rows } = await database.pool.query<{ id: string }>(
      'SELECT id::text AS id FROM audit_events WHERE organization_id = $1 AND chain_seq = 10',
      [admin.organizationId],
    );
    await asOwnerWithoutTriggers((client) =>
      client.query("UPDATE audit_events SET outcome = 'denied' WHERE id = $1", [rows[0].id]),
    );
    const verdict = await audit.verifyChain(admin, { from: null, to: null });
    expect(verdict).toMatchObject({
      ok: false,
      checked: 10,
      firstBroken: { id: rows[0].id, reason: 'content_changed' },
    });
    // A range that starts after the edited row does not see it.
    const { rows: now } = await database.pool.query<{ now: Date }>('SELECT now() AS now');
    await expect(audit.verifyChain(admin, { from: now[0].now, to: null })).resolves.toEqual({
      ok: true,
      checked: 1,
    });
  });

  it('names the row after a deleted one as chain_broken', async () => {
    const [, admin] = admins;
    const { rows } = await database.pool.query<{ id: string; chain_seq: string }>(
      `SELECT id::text AS id, chain_seq FROM audit_events WHERE organization_id = $1 AND chain_seq IN (20, 21)
        ORDER BY chain_seq`,
      [admin.organizationId],
    );
    await asOwnerWithoutTriggers((client) =>
      client.query('DELETE FROM audit_events WHERE id = $1', [rows[0].id]),
    );
    const verdict = await audit.verifyChain(admin, { from: null, to: null });
    expect(verdict).toMatchObject({ ok: false, firstBroken: { id: rows[1].id, reason: 'chain_broken' } });
  });

  it('names a deleted last row at the next one written, the verification’s own', async () => {
    const organizationId = await createOrganization(database.pool, 'Org tail');
    const user = await createUser(database.pool, organizationId, 'admin');
    const admin: Principal = { userId: user.id, organizationId, role: 'admin' };
    for (let n = 0; n < 3; n++) await record(admin, n);
    await asOwnerWithoutTriggers((client) =>
      client.query('DELETE FROM audit_events WHERE organization_id = $1 AND chain_seq = 3', [organizationId]),
    );
    const verdict = await audit.verifyChain(admin, { from: null, to: null });
    const { rows } = await database.pool.query<{ id: string }>(
      `SELECT id::text AS id FROM audit_events WHERE organization_id = $1 AND action = 'audit.verify'`,
      [organizationId],
    );
    expect(verdict).toMatchObject({
      ok: false,
      checked: 3,
      firstBroken: { id: rows[0].id, reason: 'chain_broken' },
    });
  });

  it('names a re-hashed edit as chain_broken at the next row', async () => {
    const organizationId = await createOrganization(database.pool, 'Org rehash');
    const user = await createUser(database.pool, organizationId, 'admin');
    const admin: Principal = { userId: user.id, organizationId, role: 'admin' };
    for (let n = 0; n < 3; n++) await record(admin, n);
    const { rows } = await database.pool.query<{ id: string }>(
      'SELECT id::text AS id FROM audit_events WHERE organization_id = $1 ORDER BY chain_seq',
      [organizationId],
    );
    await asOwnerWithoutTriggers(async (client) => {
      await client.query("UPDATE audit_events SET outcome = 'denied' WHERE id = $1", [rows[1].id]);
      await client.query('UPDATE audit_events a SET row_hash = audit_event_hash(a) WHERE id = $1', [
        rows[1].id,
      ]);
    });
    const verdict = await audit.verifyChain(admin, { from: null, to: null });
    expect(verdict).toMatchObject({
      ok: false,
      checked: 3,
      firstBroken: { id: rows[2].id, reason: 'chain_broken' },
    });
  });
});
