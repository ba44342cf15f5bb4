import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { IngestBatchRow } from '../monitoring.rows';

const COLUMNS = `id, correlation_id AS "correlationId", created_at AS "createdAt", enqueued_at AS "enqueuedAt",
  evaluated_at AS "evaluatedAt"`;

/** The evaluation outbox: written in the same transaction as the readings it names. */
@Injectable()
export class IngestBatchRepository {
  constructor(private readonly db: Database) {}

  async create(
    batch: {
      id: string;
      ingestClientId: string;
      correlationId: string;
      storedCount: number;
      rejectedCount: number;
    },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
       VALUES ($1, $2, $3, $4, $5)`,
      [batch.id, batch.ingestClientId, batch.correlationId, batch.storedCount, batch.rejectedCount],
    );
  }

  async markEnqueued(ids: string[]): Promise<void> {
    await this.db.query(
      `UPDATE ingest_batches SET enqueued_at = now() WHERE id = ANY($1::uuid[]) AND enqueued_at IS NULL`,
      [ids],
    );
  }

  async findById(id: string): Promise<IngestBatchRow | undefined> {
    const { rows } = await this.db.query<IngestBatchRow>(
      `SELECT ${COLUMNS} FROM ingest_batches WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Batches still unevaluated after `olderThanMs`: their job was lost or is stuck. */
  async findPending(olderThanMs: number, limit: number): Promise<IngestBatchRow[]> {
    const { rows } = await this.db.query<IngestBatchRow>(
      `SELECT ${COLUMNS} FROM ingest_batches
       WHERE evaluated_at IS NULL AND created_at < now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }

  async markEvaluated(id: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE ingest_batches SET evaluated_at = now() WHERE id = $1 AND evaluated_at IS NULL`, [
      id,
    ]);
  }
}
