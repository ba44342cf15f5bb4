import { Injectable } from '@nestjs/common';
import type { READING_JOBS } from '@homeward/monitoring';
import { JobProcessor, type JobPayload } from '@homeward/platform';
import { AlertEvaluationService } from './alert-evaluation.service';

/** Alerting's answer to monitoring's `readings.evaluate`: run the rules over the stored batch. */
@Injectable()
export class ReadingsEvaluateProcessor extends JobProcessor<typeof READING_JOBS, 'readings.evaluate'> {
  readonly name = 'readings.evaluate';

  constructor(private readonly evaluation: AlertEvaluationService) {
    super();
  }

  async process({
    batchId,
    correlationId,
    patientIds,
  }: JobPayload<typeof READING_JOBS, 'readings.evaluate'>): Promise<void> {
    await this.evaluation.evaluateBatch(batchId, correlationId, patientIds);
  }
}
