import { Injectable } from '@nestjs/common';
import { ReadingBatchService } from '@homeward/monitoring';
import { InjectLogger, alertsRaised, type Logger } from '@homeward/observability';
import { DEFAULT_THRESHOLD_RULES } from '../rules/default-thresholds';
import { evaluateThresholds } from '../rules/threshold.rule';
import { AlertPublisher } from './alert-publisher';
import { mapAlert } from './alert.mapper';
import { AlertRepository } from './alert.repository';

/** Evaluates stored batches against the rules and raises alerts. */
@Injectable()
export class AlertEvaluationService {
  constructor(
    private readonly batches: ReadingBatchService,
    private readonly alerts: AlertRepository,
    private readonly publisher: AlertPublisher,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Idempotent: a batch already evaluated is skipped, and alerts are unique per rule and
   * triggering reading, so a retried or swept job raises nothing twice.
   */
  async evaluateBatch(batchId: string, correlationId: string): Promise<{ raised: number }> {
    const batch = await this.batches.find(batchId);
    if (!batch) {
      this.logger.warn({ batchId, correlationId }, 'Evaluation job names an unknown batch; nothing to do');
      return { raised: 0 };
    }
    if (batch.evaluatedAt) return { raised: 0 };

    const readings = await this.batches.readingsOf(batchId);
    const findings = evaluateThresholds(readings, DEFAULT_THRESHOLD_RULES);
    const inserted = await this.alerts.insertNew(
      findings.map(({ rule, trigger }) => ({
        organizationId: trigger.organizationId,
        patientId: trigger.patientId,
        ruleId: rule.id,
        ruleKind: rule.kind,
        ruleDescription: rule.description,
        severity: rule.severity,
        triggerType: trigger.type,
        triggerValue: trigger.value,
        triggerUnit: trigger.unit,
        triggerMeasuredAt: trigger.measuredAt,
        triggerDeviceId: trigger.deviceId,
        triggerMessageId: trigger.messageId,
        batchId,
        correlationId,
      })),
    );
    // Sockets are at-most-once: alerts live in PostgreSQL and clients replay what they missed.
    for (const row of inserted) {
      alertsRaised.inc({ severity: row.severity });
      this.publisher.alertCreated(mapAlert(row));
      this.logger.info(
        {
          alertId: row.id,
          patientId: row.patientId,
          ruleId: row.ruleId,
          severity: row.severity,
          correlationId,
        },
        'Alert raised',
      );
    }
    await this.batches.markEvaluated(batchId);
    return { raised: inserted.length };
  }
}
