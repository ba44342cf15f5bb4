import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { RefreshTokenLookupRow, SessionRow } from '../identity.rows';

const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_used_at AS "lastUsedAt",
  s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt", s.revoked_reason AS "revokedReason",
  s.user_agent AS "userAgent", s.ip_address AS "ipAddress"`;

@Injectable()
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(
    session: { userId: string; expiresAt: Date; userAgent: string | null; ipAddress: string | null },
    q: Queryable = this.db,
  ): Promise<SessionRow> {
    const { rows } = await q.query<SessionRow>(
      `INSERT INTO sessions AS s (user_id, expires_at, user_agent, ip_address) VALUES ($1, $2, $3, $4)
       RETURNING ${SESSION_COLUMNS}`,
      [session.userId, session.expiresAt, session.userAgent, session.ipAddress],
    );
    return rows[0];
  }

  async insertRefreshToken(sessionId: string, tokenHash: Buffer, q: Queryable = this.db): Promise<void> {
    await q.query(`INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)`, [
      tokenHash,
      sessionId,
    ]);
  }

  /** The token, its session and user, locking the session so concurrent refreshes take turns. */
  async lockByRefreshToken(tokenHash: Buffer, q: Queryable): Promise<RefreshTokenLookupRow | undefined> {
    const { rows } = await q.query<RefreshTokenLookupRow>(
      `SELECT ${SESSION_COLUMNS}, t.replaced_at AS "replacedAt", u.organization_id AS "organizationId",
              u.role, u.disabled_at IS NOT NULL AS "userDisabled"
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
       WHERE t.token_hash = $1
       FOR UPDATE OF s`,
      [tokenHash],
    );
    return rows[0];
  }

  /** Marks the token replaced (keeping the first replacement time, which the grace window counts from). */
  async markReplaced(tokenHash: Buffer, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE refresh_tokens SET replaced_at = coalesce(replaced_at, now()) WHERE token_hash = $1`,
      [tokenHash],
    );
  }

  async touch(sessionId: string, q: Queryable): Promise<void> {
    await q.query(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [sessionId]);
  }

  /** Revokes one session if still live; answers whether it was. */
  async revoke(sessionId: string, reason: string, q: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await q.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, reason],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Revokes every live session of a user (but one, if named); answers their ids. */
  async revokeForUser(
    userId: string,
    reason: string,
    exceptSessionId: string | null,
    q: Queryable = this.db,
  ): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
       RETURNING id`,
      [userId, reason, exceptSessionId],
    );
    return rows.map((row) => row.id);
  }

  /** Whether the session is live: not revoked, not past its absolute expiry, its user active. */
  async isLive(sessionId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ live: boolean }>(
      `SELECT (s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL) AS live
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [sessionId],
    );
    return rows[0]?.live ?? false;
  }

  /**
   * Deletes up to `limit` sessions that ended (revoked, or past their absolute expiry) before
   * `endedBefore`, with their refresh tokens; answers how many. The audit log keeps every
   * sign-in, refresh and sign-out, so nothing of the record goes with them.
   */
  async deleteEnded(endedBefore: Date, limit: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM sessions WHERE id IN (
         SELECT id FROM sessions WHERE revoked_at < $1 OR expires_at < $1 LIMIT $2)`,
      [endedBefore, limit],
    );
    return rowCount ?? 0;
  }
}
