import { Injectable } from '@nestjs/common';
import { ReadingBatchService } from '@homeward/monitoring';
import { AppConfig } from '@homeward/config';
import { InjectLogger, alertsRaised, type Logger } from '@homeward/observability';
import { Database } from '@homeward/platform';
import { batchFindings, historyStart, type BatchFinding } from '../protocols/batch-findings';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { PatientRuleSets } from '../protocols/patient-rule-sets';
import type { PatientRuleSet } from '../protocols/patient-rules';
import { AlertAllClearService } from './alert-all-clear.service';
import { AlertBreachService, type BreachReading } from './alert-breach.service';
import { changesLifecycle, type AlertChange, type AlertChangeKind } from './alert-change';
import { AlertConfirmationService, type RemeasureRequest } from './alert-confirmation.service';
import { AlertPublisher } from './alert-publisher';
import { mapAlert } from './alert.mapper';

type BatchReading = Awaited<ReturnType<ReadingBatchService['readingsOf']>>[number];

const LOG_LINES: Readonly<Record<AlertChangeKind, string>> = {
  opened: 'Alert raised',
  reopened: 'Alert re-opened within the cool-down',
  raised: 'Alert severity rose: back in the queue',
  attached: 'Breach attached to an open alert',
  settled: 'Alert decided by a re-measurement',
  cleared: 'Alert resolved: all clear',
  back_in_range: 'Unacknowledged critical alert back in range: it stays until someone acts',
};

/** Evaluates stored batches against the rules and raises alerts. */
@Injectable()
export class AlertEvaluationService {
  constructor(
    private readonly db: Database,
    private readonly batches: ReadingBatchService,
    private readonly ruleSets: PatientRuleSets,
    private readonly breaches: AlertBreachService,
    private readonly allClear: AlertAllClearService,
    private readonly publisher: AlertPublisher,
    private readonly confirmation: AlertConfirmationService,
    private readonly config: AppConfig,
    private readonly escalation: AlertEscalationScheduler,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Evaluates one stored batch:
   * 1. its readings and their patients' rule sets (read beside the batch when the job named them);
   * 2. the findings of one engine over each patient's effective rules and history;
   * 3. in one transaction: pending re-measurements decided, each breach recorded in its
   *    episode, the all clear counted, the batch marked evaluated, so a retried or swept job
   *    changes nothing twice;
   * 4. after the commit: pushes, the escalation clock, the re-measure commands.
   */
  async evaluateBatch(
    batchId: string,
    correlationId: string,
    /** The batch's patients as its producer knew them: their rule sets are read beside the batch. */
    expectedPatientIds?: readonly string[],
  ): Promise<{ raised: number }> {
    const [batch, readings, hinted] = await Promise.all([
      this.batches.find(batchId),
      this.batches.readingsOf(batchId),
      expectedPatientIds?.length ? this.ruleSets.of(expectedPatientIds) : undefined,
    ]);
    if (!batch) {
      this.logger.warn({ batchId, correlationId }, 'Evaluation job names an unknown batch; nothing to do');
      return { raised: 0 };
    }
    if (batch.evaluatedAt) return { raised: 0 };
    const findings = await this.findingsOf(readings, expectedPatientIds, hinted);
    const { changes, remeasure } = await this.record(batchId, correlationId, readings, findings);
    await this.afterCommit(changes, remeasure, correlationId);
    return { raised: changes.filter((change) => change.kind === 'opened').length };
  }

  /** Step 2: what the batch's readings breach, by each patient's rules and history. */
  private async findingsOf(
    readings: readonly BatchReading[],
    hintedIds: readonly string[] | undefined,
    hinted: ReadonlyMap<string, PatientRuleSet> | undefined,
  ): Promise<BatchFinding<BatchReading>[]> {
    const now = new Date();
    const patientIds = [...new Set(readings.map((reading) => reading.patientId))];
    const ruleSets = await this.ruleSetsOf(patientIds, hintedIds, hinted, now);
    // Only patients with protocols, overrides or baselines have rules that look back.
    const history =
      ruleSets.size > 0
        ? await this.batches.historySince(
            [...ruleSets.keys()],
            historyStart(ruleSets, new Date(Math.min(...readings.map((r) => r.measuredAt.getTime())))),
          )
        : [];
    return batchFindings(readings, ruleSets, history, now, {
      lateAfterMinutes: this.config.ALERT_LATE_AFTER_MINUTES,
    });
  }

  /** Step 3, in one transaction. */
  private record(
    batchId: string,
    correlationId: string,
    readings: readonly BatchReading[],
    findings: ReadonlyArray<BatchFinding<BreachReading & BatchReading>>,
  ): Promise<{ changes: AlertChange[]; remeasure: RemeasureRequest[] }> {
    return this.db.transaction(async (tx) => {
      const changes: AlertChange[] = [];
      const remeasure: RemeasureRequest[] = [];
      // Pending alerts are decided by this batch's re-measurements first, so a reading that
      // does not confirm one is then evaluated like any other (remeasure.ts).
      for (const row of await this.confirmation.settleByBatch(batchId, readings, findings, tx))
        changes.push({ row, kind: 'settled' });
      for (const finding of findings) {
        const recorded = await this.breaches.record(finding, batchId, correlationId, tx);
        if (!recorded) continue;
        changes.push(recorded.change);
        if (recorded.remeasure) remeasure.push(recorded.remeasure);
      }
      changes.push(...(await this.allClear.count(readings, findings, tx)));
      // With the changes, so a re-run of a committed batch counts nothing twice.
      await this.batches.markEvaluated(batchId, tx);
      return { changes, remeasure };
    });
  }

  /**
   * Step 4. Sockets are at-most-once: alerts live in PostgreSQL and clients replay what they
   * missed. The last state of each alert is pushed, as new if this batch opened it; then the
   * escalation clock starts (critical and open, raised ones included) or stops (resolved), and
   * the re-measure commands go out once the queue shows the pending alert.
   */
  private async afterCommit(
    changes: readonly AlertChange[],
    remeasure: readonly RemeasureRequest[],
    correlationId: string,
  ): Promise<void> {
    const last = new Map(changes.map((change) => [change.row.id, change]));
    const opened = new Set(changes.filter((c) => c.kind === 'opened').map((c) => c.row.id));
    for (const { row, kind } of last.values()) {
      const alert = mapAlert(row);
      if (opened.has(row.id)) {
        alertsRaised.inc({ severity: row.severity });
        // A late alert describes the past: it waits in the queue instead of ringing as new.
        if (!row.late) await this.publisher.alertCreated(alert);
      } else await this.publisher.alertUpdated(alert);
      this.logger.info(
        {
          alertId: row.id,
          patientId: row.patientId,
          ruleId: row.ruleId,
          severity: row.severity,
          status: row.status,
          occurrences: row.occurrences,
          late: row.late,
          correlationId,
        },
        opened.has(row.id) ? LOG_LINES.opened : LOG_LINES[kind],
      );
    }
    const lifecycle = new Set(changes.filter(changesLifecycle).map((change) => change.row.id));
    await this.escalation.afterChange(
      [...last.values()].filter((change) => lifecycle.has(change.row.id)).map((change) => change.row),
    );
    await this.confirmation.afterCommit(remeasure);
  }

  /**
   * The rule sets of the batch's patients: those read beside the batch when the job named its
   * patients, the rest (a job from the sweep, a hint that missed someone) read now.
   */
  private async ruleSetsOf(
    patientIds: readonly string[],
    hintedIds: readonly string[] | undefined,
    hinted: ReadonlyMap<string, PatientRuleSet> | undefined,
    now: Date,
  ): Promise<Map<string, PatientRuleSet>> {
    const named = new Set(hintedIds);
    const missing = patientIds.filter((id) => !named.has(id));
    const ruleSets =
      missing.length > 0 ? await this.ruleSets.of(missing, now) : new Map<string, PatientRuleSet>();
    // Only the batch's own patients: their keys decide whose history is loaded.
    for (const id of patientIds) {
      const ruleSet = hinted?.get(id);
      if (ruleSet) ruleSets.set(id, ruleSet);
    }
    return ruleSets;
  }
}
