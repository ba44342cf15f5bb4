import { Injectable } from '@nestjs/common';
import { Database } from '@homeward/platform';
import type { OidcSignInStateRow } from '../identity.rows';

/** Sign-ins under way at a provider (by state) and those waiting for the console (by one-time code). */
@Injectable()
export class OidcSignInRepository {
  constructor(private readonly db: Database) {}

  async insertState(
    stateHash: Buffer,
    state: { organizationId: string; codeVerifier: string; nonce: string; expiresAt: Date },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO oidc_sign_in_states (state_hash, organization_id, code_verifier, nonce, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [stateHash, state.organizationId, state.codeVerifier, state.nonce, state.expiresAt],
    );
  }

  /** Deletes and answers the state, expired or not: a state is used once whatever happens next. */
  async takeState(stateHash: Buffer): Promise<OidcSignInStateRow | undefined> {
    const { rows } = await this.db.query<OidcSignInStateRow>(
      `DELETE FROM oidc_sign_in_states WHERE state_hash = $1
       RETURNING organization_id AS "organizationId", code_verifier AS "codeVerifier", nonce,
                 expires_at AS "expiresAt"`,
      [stateHash],
    );
    return rows[0];
  }

  async insertHandoff(
    codeHash: Buffer,
    user: { userId: string; organizationId: string },
    expiresAt: Date,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO oidc_handoffs (code_hash, user_id, organization_id, expires_at)
       VALUES ($1, $2, $3, $4)`,
      [codeHash, user.userId, user.organizationId, expiresAt],
    );
  }

  /** Deletes the handoff and answers its user when it had not expired. */
  async takeHandoff(codeHash: Buffer): Promise<{ userId: string; organizationId: string } | undefined> {
    const { rows } = await this.db.query<{ userId: string; organizationId: string; live: boolean }>(
      `DELETE FROM oidc_handoffs WHERE code_hash = $1
       RETURNING user_id AS "userId", organization_id AS "organizationId", expires_at > now() AS live`,
      [codeHash],
    );
    const row = rows[0];
    return row?.live ? { userId: row.userId, organizationId: row.organizationId } : undefined;
  }

  /** Removes abandoned sign-ins (a user who never came back from the provider). */
  async deleteExpired(before: Date): Promise<void> {
    await this.db.query(
      `WITH states AS (DELETE FROM oidc_sign_in_states WHERE expires_at < $1)
       DELETE FROM oidc_handoffs WHERE expires_at < $1`,
      [before],
    );
  }
}
