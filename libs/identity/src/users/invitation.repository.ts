import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';
import type { InvitationRow } from '../identity.rows';

const COLUMNS = `id, organization_id AS "organizationId", user_id AS "userId", issued_at AS "issuedAt",
  expires_at AS "expiresAt", used_at AS "usedAt", voided_at AS "voidedAt"`;

@Injectable()
export class InvitationRepository {
  /** Voids the user's open invitations: only the newest link works. */
  async voidOpen(userId: string, q: Queryable): Promise<void> {
    await q.query(
      'UPDATE user_invitations SET voided_at = now() WHERE user_id = $1 AND used_at IS NULL AND voided_at IS NULL',
      [userId],
    );
  }

  async insert(
    invitation: {
      organizationId: string;
      userId: string;
      codeHash: string;
      issuedBy: string | null;
      expiresAt: Date;
    },
    q: Queryable,
  ): Promise<InvitationRow> {
    const { rows } = await q.query<InvitationRow>(
      `INSERT INTO user_invitations (organization_id, user_id, code_hash, issued_by, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [
        invitation.organizationId,
        invitation.userId,
        invitation.codeHash,
        invitation.issuedBy,
        invitation.expiresAt,
      ],
    );
    return rows[0];
  }

  /** The invitation with that code hash, locked until `q` commits so it is accepted once. */
  async lockByCodeHash(codeHash: string, q: Queryable): Promise<InvitationRow | undefined> {
    const { rows } = await q.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM user_invitations WHERE code_hash = $1 FOR UPDATE`,
      [codeHash],
    );
    return rows[0];
  }

  async markUsed(id: string, q: Queryable): Promise<void> {
    await q.query('UPDATE user_invitations SET used_at = now() WHERE id = $1', [id]);
  }

  /** The user's open invitation, if any: whether they still wait to accept one. */
  async findOpen(userId: string, q: Queryable): Promise<InvitationRow | undefined> {
    const { rows } = await q.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM user_invitations WHERE user_id = $1 AND used_at IS NULL AND voided_at IS NULL
       ORDER BY issued_at DESC LIMIT 1`,
      [userId],
    );
    return rows[0];
  }
}
