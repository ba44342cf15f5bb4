import { Injectable } from '@nestjs/common';
import { organizationScope } from '@homeward/access';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { Queryable } from '@homeward/platform';
import { IngestBatchRepository } from '../ingest/ingest-batch.repository';
import type { BatchReadingRow, IngestBatchRow, ReadingRow } from '../monitoring.rows';
import { ReadingJobs } from './reading.jobs';
import { ReadingRepository } from './reading.repository';

/**
 * Stored batches of readings as their evaluators see them: the outbox row written with the
 * readings, the readings themselves, and the sweep that re-announces a batch whose
 * `readings.evaluate` job was lost.
 */
@Injectable()
export class ReadingBatchService {
  constructor(
    private readonly batches: IngestBatchRepository,
    private readonly readings: ReadingRepository,
    private readonly jobs: ReadingJobs,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  find(batchId: string): Promise<IngestBatchRow | undefined> {
    return this.batches.findById(batchId);
  }

  /** The batch's readings, each with its patient's organisation. */
  readingsOf(batchId: string): Promise<BatchReadingRow[]> {
    return this.readings.findByBatch(batchId);
  }

  /** Earlier readings of `patientIds` since `since`, in one query: what window rules look back on. */
  historySince(patientIds: readonly string[], since: Date): Promise<ReadingRow[]> {
    return this.readings.listSince(patientIds, since);
  }

  /**
   * When each patient of `organizationId` last measured each type asked for, in one query:
   * what the scheduled missed-reading check compares with. Pairs never measured are absent.
   */
  lastMeasuredAt(
    organizationId: string,
    pairs: ReadonlyArray<{ patientId: string; type: string }>,
  ): Promise<Array<{ patientId: string; type: string; measuredAt: Date }>> {
    if (pairs.length === 0) return Promise.resolve([]);
    return this.readings.latestMeasuredAt(organizationScope(organizationId), pairs);
  }

  /**
   * Whether readings of `types` that the patient measured at or after `measuredFrom` and that
   * were received by `receivedBy` (the trigger's own message aside) wait in a batch not yet
   * evaluated, other than `exceptBatchId`: a re-measurement that batch's evaluation will judge.
   */
  hasUnevaluatedReadings(
    query: {
      patientId: string;
      types: readonly string[];
      measuredFrom: Date;
      receivedBy: Date;
      except: { deviceId: string; messageId: string };
      exceptBatchId?: string;
    },
    q?: Queryable,
  ): Promise<boolean> {
    return this.readings.existUnevaluated(query, q);
  }

  /** `q`: the evaluator's transaction, so the batch counts as evaluated exactly when its results commit. */
  async markEvaluated(batchId: string, q?: Queryable): Promise<void> {
    await this.batches.markEvaluated(batchId, q);
  }

  /** Re-enqueues batches whose evaluation job was lost; job ids are the batch ids, so duplicates merge. */
  async requeueUnevaluated(olderThanMs: number, limit: number): Promise<number> {
    const pending = await this.batches.findPending(olderThanMs, limit);
    for (const batch of pending) {
      await this.jobs.enqueue(
        'readings.evaluate',
        { batchId: batch.id, correlationId: batch.correlationId },
        batch.id,
      );
    }
    if (pending.length > 0) {
      await this.batches.markEnqueued(pending.map((batch) => batch.id));
      this.logger.info({ count: pending.length }, 'Re-enqueued unevaluated batches');
    }
    return pending.length;
  }
}
