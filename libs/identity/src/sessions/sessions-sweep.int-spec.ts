import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { IdentityJobsModule } from '../identity.module';
import { SessionsSweepProcessor } from './sessions-sweep.processor';

describe('sessions.sweep: ended sessions leave after SESSION_RETENTION_DAYS', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let sweep: SessionsSweepProcessor;
  let userId: string;

  /** A session whose times are `days` ago (negative: ahead), with two refresh tokens. */
  const session = async (times: { revokedDaysAgo?: number; expiresDaysAgo: number }) => {
    const { rows } = await database.pool.query<{ id: string }>(
      `INSERT INTO sessions (user_id, created_at, expires_at, revoked_at)
       VALUES ($1, now() - interval '200 days', now() - make_interval(days => $2),
               CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END)
       RETURNING id`,
      [userId, times.expiresDaysAgo, times.revokedDaysAgo ?? null],
    );
    await database.pool.query(
      `INSERT INTO refresh_tokens (token_hash, session_id)
       SELECT decode(md5(random()::text), 'hex'), $1 FROM generate_series(1, 2)`,
      [rows[0].id],
    );
    return rows[0].id;
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [IdentityJobsModule],
      env: { SESSION_RETENTION_DAYS: '30' },
    });
    database = integration.database;
    sweep = integration.moduleRef.get(SessionsSweepProcessor);
    userId = (await createUser(database.pool, await createOrganization(database.pool), 'coordinator')).id;
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('deletes sessions revoked or expired before the retention window, with their tokens, and keeps the rest', async () => {
    const revokedLongAgo = await session({ revokedDaysAgo: 45, expiresDaysAgo: -5 });
    const expiredLongAgo = await session({ expiresDaysAgo: 31 });
    const revokedRecently = await session({ revokedDaysAgo: 29, expiresDaysAgo: 20 });
    const expiredRecently = await session({ expiresDaysAgo: 2 });
    const live = await session({ expiresDaysAgo: -7 });

    await sweep.process();

    const { rows } = await database.pool.query<{ id: string; tokens: number }>(
      `SELECT s.id, (SELECT count(*)::int FROM refresh_tokens t WHERE t.session_id = s.id) AS tokens
       FROM sessions s WHERE s.user_id = $1`,
      [userId],
    );
    expect(new Map(rows.map((row) => [row.id, row.tokens]))).toEqual(
      new Map([
        [revokedRecently, 2],
        [expiredRecently, 2],
        [live, 2],
      ]),
    );
    const orphans = await database.pool.query(
      `SELECT 1 FROM refresh_tokens WHERE session_id = ANY($1::uuid[])`,
      [[revokedLongAgo, expiredLongAgo]],
    );
    expect(orphans.rowCount).toBe(0);
  });
});
