import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { UserMfaRow } from '../identity.rows';

const COLUMNS = `user_id AS "userId", secret_ciphertext AS "secretCiphertext", confirmed_at AS "confirmedAt",
  last_used_step::float8 AS "lastUsedStep"`;

/** Users' TOTP authenticators and recovery codes. */
@Injectable()
export class MfaRepository {
  constructor(private readonly db: Database) {}

  async find(userId: string, q: Queryable = this.db): Promise<UserMfaRow | undefined> {
    const { rows } = await q.query<UserMfaRow>(`SELECT ${COLUMNS} FROM user_mfa WHERE user_id = $1`, [
      userId,
    ]);
    return rows[0];
  }

  /** Starts (or restarts) a pending enrolment; false when the user's is already confirmed. */
  async savePending(userId: string, secretCiphertext: string, q: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO user_mfa (user_id, secret_ciphertext) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE
         SET secret_ciphertext = EXCLUDED.secret_ciphertext, created_at = now(), last_used_step = NULL
         WHERE user_mfa.confirmed_at IS NULL`,
      [userId, secretCiphertext],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The user's authenticator, locked until `q` commits (two confirmations take turns). */
  async lock(userId: string, q: Queryable): Promise<UserMfaRow | undefined> {
    const { rows } = await q.query<UserMfaRow>(
      `SELECT ${COLUMNS} FROM user_mfa WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    return rows[0];
  }

  async confirm(userId: string, step: number, q: Queryable): Promise<void> {
    await q.query(`UPDATE user_mfa SET confirmed_at = now(), last_used_step = $2 WHERE user_id = $1`, [
      userId,
      step,
    ]);
  }

  /**
   * Records `step` as used if it is newer than every step used before; false otherwise (a
   * replayed or older code). One statement, so two sign-ins with the same code cannot both win.
   */
  async useStep(userId: string, step: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE user_mfa SET last_used_step = $2
       WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
      [userId, step],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Replaces the user's recovery codes with these hashes. */
  async replaceRecoveryCodes(userId: string, hashes: readonly Buffer[], q: Queryable): Promise<void> {
    await q.query(
      `WITH removed AS (DELETE FROM mfa_recovery_codes WHERE user_id = $1)
       INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`,
      [userId, hashes],
    );
  }

  /** Marks an unused recovery code used; false when there is none with this hash. */
  async useRecoveryCode(userId: string, hash: Buffer): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE mfa_recovery_codes SET used_at = now()
       WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, hash],
    );
    return (rowCount ?? 0) > 0;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows[0].n;
  }

  /** Forgets the user's authenticator and recovery codes; false when there was none. */
  async remove(userId: string, q: Queryable): Promise<boolean> {
    const { rows } = await q.query<{ removed: boolean }>(
      `WITH codes AS (DELETE FROM mfa_recovery_codes WHERE user_id = $1),
            mfa AS (DELETE FROM user_mfa WHERE user_id = $1 RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM mfa) AS removed`,
      [userId],
    );
    return rows[0].removed;
  }

  /** The organisation's active users without a confirmed authenticator. */
  async listUnenrolledUserIds(organizationId: string, q: Queryable): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT u.id FROM users u LEFT JOIN user_mfa m ON m.user_id = u.id AND m.confirmed_at IS NOT NULL
       WHERE u.organization_id = $1 AND u.disabled_at IS NULL AND m.user_id IS NULL
       ORDER BY u.id`,
      [organizationId],
    );
    return rows.map((row) => row.id);
  }
}
