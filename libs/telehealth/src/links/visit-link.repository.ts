import { Injectable } from '@nestjs/common';
import type { VisitLinkKind } from '@homeward/contracts';
import type { Queryable } from '@homeward/platform';
import type { VisitLinkRow } from '../telehealth.rows';

const LINK_COLUMNS = `id, visit_id AS "visitId", kind, label, expires_at AS "expiresAt", used_at AS "usedAt",
  voided_at AS "voidedAt"`;

/** One-time join links (`visit_links`), by the sha256 of their code. */
@Injectable()
export class VisitLinkRepository {
  async insert(
    link: {
      visitId: string;
      kind: VisitLinkKind;
      codeHash: Buffer;
      label: string | null;
      createdBy: string;
      expiresAt: Date;
    },
    q: Queryable,
  ): Promise<VisitLinkRow> {
    const { rows } = await q.query<VisitLinkRow>(
      `INSERT INTO visit_links (visit_id, kind, code_hash, label, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LINK_COLUMNS}`,
      [link.visitId, link.kind, link.codeHash, link.label, link.createdBy, link.expiresAt],
    );
    return rows[0];
  }

  /** Voids the visit's patient links not yet used: a new one replaces them. */
  async voidUnusedPatientLinks(visitId: string, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE visit_links SET voided_at = now()
       WHERE visit_id = $1 AND kind = 'patient' AND used_at IS NULL AND voided_at IS NULL`,
      [visitId],
    );
  }

  /** The link with this code hash, locked until the transaction ends. */
  async findByHashForUpdate(codeHash: Buffer, q: Queryable): Promise<VisitLinkRow | undefined> {
    const { rows } = await q.query<VisitLinkRow>(
      `SELECT ${LINK_COLUMNS} FROM visit_links WHERE code_hash = $1 FOR UPDATE`,
      [codeHash],
    );
    return rows[0];
  }

  async markUsed(change: { id: string; participantId: string }, q: Queryable): Promise<void> {
    await q.query(`UPDATE visit_links SET used_at = now(), participant_id = $2 WHERE id = $1`, [
      change.id,
      change.participantId,
    ]);
  }
}
