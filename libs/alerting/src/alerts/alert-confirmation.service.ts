import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import {
  SEVERITY_RANK,
  commandsTopic,
  type DeviceCommandV1,
  type Severity,
  type VitalType,
} from '@homeward/contracts';
import { ReadingBatchService } from '@homeward/monitoring';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, MqttPublisher, type Queryable } from '@homeward/platform';
import { AlertingJobs } from '../alerting.jobs';
import type { AlertRow, DeviceCommandRow } from '../alerting.rows';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { GROUP_TYPES } from '../protocols/patient-rules';
import { unreliableFlags, unreliableMeasurements } from '../rules/measurement-quality';
import { measurementKey } from '../rules/rule-series';
import { AlertPublisher } from './alert-publisher';
import { mapAlert } from './alert.mapper';
import { AlertEpisodeRepository } from './alert-episode.repository';
import { AlertHistoryRepository } from './alert-history.repository';
import { DeviceCommandRepository } from './device-command.repository';
import { decideConfirmation, measurementsOf, needsRemeasure, type Remeasurement } from './remeasure';

/** Most overdue confirmations and unsent commands one sweep handles; the next run takes the rest. */
const SWEEP_LIMIT = 500;
/** How soon an overdue confirmation left to a stored re-measurement's evaluation is looked at again. */
const RECHECK_AFTER_MS = 1000;

interface ConfirmReading extends Remeasurement {
  patientId: string;
  type: string;
  value: number;
  unit: string;
  flags?: readonly string[];
}

/** A re-measure request decided in a batch's transaction, sent once that commits. */
export interface RemeasureRequest {
  alert: AlertRow;
  command: DeviceCommandRow;
  correlationId: string;
}

/**
 * The re-measure flow of crisis rules and flagged readings (see `remeasure.ts`): asks the
 * device, decides pending alerts from re-measurements, and opens those left unanswered.
 */
@Injectable()
export class AlertConfirmationService {
  constructor(
    private readonly db: Database,
    private readonly episodes: AlertEpisodeRepository,
    private readonly history: AlertHistoryRepository,
    private readonly commands: DeviceCommandRepository,
    private readonly batches: ReadingBatchService,
    private readonly jobs: AlertingJobs,
    private readonly mqtt: MqttPublisher,
    private readonly publisher: AlertPublisher,
    private readonly escalation: AlertEscalationScheduler,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** The deadline of a new episode from `finding`, when it must first be confirmed. */
  pendingFor(finding: { remeasure?: readonly VitalType[]; late: boolean }): { confirmBy: Date } | undefined {
    const seconds = this.config.ALERT_CONFIRM_WITHIN_SECONDS;
    if (!needsRemeasure(finding, seconds)) return undefined;
    return { confirmBy: new Date(Date.now() + seconds * 1000) };
  }

  /** Records the `remeasure` command for a pending alert, in the transaction that made it pending. */
  async requestRemeasure(
    alert: AlertRow,
    types: readonly VitalType[],
    correlationId: string,
    tx: Queryable,
  ): Promise<RemeasureRequest> {
    // Only a reading's rule asks (missed-reading alerts have no trigger and never do).
    if (!alert.triggerDeviceId) throw new Error(`Alert ${alert.id} has no triggering device to ask`);
    const deviceId = alert.triggerDeviceId;
    const id = randomUUID();
    const expiresAt = alert.confirmBy ?? new Date();
    const payload: DeviceCommandV1 = {
      commandId: id,
      command: 'remeasure',
      types: [...types],
      reason: 'confirm_reading',
      expiresAt: expiresAt.toISOString(),
    };
    const command = await this.commands.insert(
      {
        id,
        deviceId,
        alertId: alert.id,
        command: 'remeasure',
        payload: { ...payload },
        expiresAt,
      },
      tx,
    );
    return { alert, command, correlationId };
  }

  /**
   * After the batch committed: publishes each command and schedules the alert's deadline. A
   * failure or crash before either leaves the command unsent or the alert pending in
   * PostgreSQL, where the sweep finds both; so nothing here fails the (already evaluated) batch.
   */
  async afterCommit(requests: readonly RemeasureRequest[]): Promise<void> {
    for (const { alert, command, correlationId } of requests) {
      try {
        await this.send(command, correlationId);
        await this.jobs.enqueue(
          'alerts.confirm',
          { alertId: alert.id, correlationId },
          `confirm-${alert.id}`,
          Math.max(0, (alert.confirmBy?.getTime() ?? 0) - Date.now()),
        );
      } catch (error) {
        this.logger.warn(
          { err: error, alertId: alert.id, correlationId },
          'Re-measure request not fully handed over; the confirmation sweep completes it',
        );
      }
    }
  }

  /**
   * Decides the batch patients' pending alerts from the batch's re-measurements (readings of
   * the episode's types): `findings` say which measurements breached a rule of the episode's
   * group again, at the episode's severity or above (a crisis is not confirmed by a grade 2
   * reading; a held grade 2 is by a crisis). A flagged re-measurement does not clear. Runs in
   * the batch's transaction, before its findings attach, so a reading that does not confirm a
   * breach is evaluated afterwards like any other. Past the deadline without a re-measurement
   * here, it stays pending while one received in time waits in another batch (`awaitsEvaluation`).
   */
  async settleByBatch(
    batchId: string,
    readings: readonly ConfirmReading[],
    findings: ReadonlyArray<{ group: string; severity: Severity; trigger: ConfirmReading }>,
    tx: Queryable,
  ): Promise<AlertRow[]> {
    const patientIds = [...new Set(readings.map((reading) => reading.patientId))];
    if (patientIds.length === 0) return [];
    const settled: AlertRow[] = [];
    for (const episode of await this.episodes.pendingConfirmationsForUpdate(patientIds, tx)) {
      const types = GROUP_TYPES.get(episode.episodeKey);
      const { triggerDeviceId, triggerMessageId, triggerMeasuredAt, confirmBy } = episode;
      if (!types || !confirmBy || !triggerDeviceId || !triggerMessageId || !triggerMeasuredAt) continue;
      const ofEpisode = readings.filter((r) => r.patientId === episode.patientId && types.has(r.type));
      const breached = new Set(
        findings
          .filter(
            (f) =>
              f.group === episode.episodeKey && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[episode.severity],
          )
          .map((f) => measurementKey(f.trigger)),
      );
      const flagged = unreliableMeasurements(ofEpisode);
      const decision = decideConfirmation(
        { triggerDeviceId, triggerMessageId, triggerMeasuredAt, confirmBy },
        measurementsOf(ofEpisode),
        (m) => breached.has(measurementKey(m)),
        new Date(),
        (m) => flagged.has(measurementKey(m)),
      );
      if (decision.outcome === 'waiting') continue;
      if (decision.outcome === 'unanswered' && (await this.awaitsEvaluation(episode, tx, batchId))) continue;
      const detail =
        decision.outcome === 'unanswered'
          ? { reason: 'no_remeasurement' }
          : {
              reason: decision.outcome,
              reading: {
                deviceId: decision.by.deviceId,
                messageId: decision.by.messageId,
                measuredAt: decision.by.measuredAt.toISOString(),
                values: ofEpisode
                  .filter((r) => measurementKey(r) === measurementKey(decision.by))
                  .map((r) => ({ type: r.type, value: r.value, unit: r.unit })),
                // A flagged re-measurement can only have confirmed: the history says it was doubtful too.
                ...(flagged.has(measurementKey(decision.by))
                  ? { flags: unreliableFlags(decision.by.type, decision.by.flags) }
                  : {}),
              },
            };
      const row = await this.settle(episode, decision.outcome, detail, tx);
      if (row) settled.push(row);
    }
    return settled;
  }

  /**
   * The deadline passed without a (clean) re-measurement: the breach is treated as real.
   * Idempotent: an alert decided meanwhile (re-measured, acknowledged, resolved) is left as it is.
   * A re-measurement received in time but not yet evaluated (a worker restart runs the overdue
   * job beside the batch's evaluation) decides instead: the alert stays pending, its batch's
   * evaluation settles it, and this looks again shortly, until the cap (`awaitsEvaluation`).
   */
  async confirmUnanswered(alertId: string, correlationId: string): Promise<AlertRow | undefined> {
    const outcome = await this.db.transaction(async (tx) => {
      const [pending] = await this.episodes.pendingByIdForUpdate(alertId, tx);
      if (!pending) return undefined;
      if (await this.awaitsEvaluation(pending, tx)) return 'awaits_evaluation' as const;
      return this.settle(pending, 'unanswered', { reason: 'no_remeasurement' }, tx);
    });
    if (outcome === 'awaits_evaluation') {
      await this.recheckLater(alertId, correlationId);
      return undefined;
    }
    const row = outcome;
    if (row) {
      await this.publisher.alertUpdated(mapAlert(row));
      // Confirmed critical: its escalation clock starts now, not when it was pending.
      await this.escalation.afterChange([row]);
      this.logger.info(
        { alertId, patientId: row.patientId, severity: row.severity, correlationId },
        'Breach not re-measured in time: alert opened',
      );
    }
    return row;
  }

  /** Opens overdue pending alerts and re-sends unsent commands: what lost jobs or a crash left behind. */
  async sweep(): Promise<{ confirmed: number; resent: number }> {
    let confirmed = 0;
    for (const due of await this.episodes.listDueConfirmations(SWEEP_LIMIT))
      if (await this.confirmUnanswered(due.id, due.correlationId)) confirmed++;
    let resent = 0;
    for (const command of await this.commands.listUnsent(this.config.EVALUATION_SWEEP_AFTER_MS, SWEEP_LIMIT))
      if (await this.send(command, 'sweep')) resent++;
    if (confirmed > 0 || resent > 0) this.logger.info({ confirmed, resent }, 'Confirmation sweep');
    return { confirmed, resent };
  }

  /**
   * Whether a re-measurement of `episode` received by its deadline is stored in a batch not yet
   * evaluated (other than `exceptBatchId`, the one evaluating now): that evaluation decides it.
   * Only until the cap past the deadline — a minute, or the time the readings sweep takes to
   * re-enqueue a batch whose evaluation job was lost — so a batch never evaluated cannot keep
   * an unanswered breach from opening.
   */
  private async awaitsEvaluation(episode: AlertRow, tx: Queryable, exceptBatchId?: string): Promise<boolean> {
    const types = GROUP_TYPES.get(episode.episodeKey);
    const { triggerDeviceId, triggerMessageId, triggerMeasuredAt, confirmBy } = episode;
    if (!types || !confirmBy || !triggerDeviceId || !triggerMessageId || !triggerMeasuredAt) return false;
    const capMs = Math.max(
      60_000,
      this.config.EVALUATION_SWEEP_AFTER_MS + 2 * this.config.EVALUATION_SWEEP_EVERY_MS,
    );
    if (Date.now() >= confirmBy.getTime() + capMs) return false;
    return this.batches.hasUnevaluatedReadings(
      {
        patientId: episode.patientId,
        types: [...types],
        measuredFrom: triggerMeasuredAt,
        receivedBy: confirmBy,
        except: { deviceId: triggerDeviceId, messageId: triggerMessageId },
        exceptBatchId,
      },
      tx,
    );
  }

  /** Enqueues another look at an overdue confirmation; if Redis fails, the sweep looks again. */
  private async recheckLater(alertId: string, correlationId: string): Promise<void> {
    this.logger.info({ alertId, correlationId }, 'Deadline passed with a re-measurement awaiting evaluation');
    try {
      // Not the deadline job's id, which is still running; one id per interval merges the sweep's.
      const slot = Math.floor(Date.now() / RECHECK_AFTER_MS);
      await this.jobs.enqueue(
        'alerts.confirm',
        { alertId, correlationId },
        `confirm-${alertId}-${slot}`,
        RECHECK_AFTER_MS,
      );
    } catch (error) {
      this.logger.warn(
        { err: error, alertId, correlationId },
        'Confirmation re-check not enqueued; the sweep looks again',
      );
    }
  }

  private async settle(
    episode: AlertRow,
    outcome: 'confirmed' | 'unanswered' | 'not_confirmed',
    detail: Record<string, unknown>,
    tx: Queryable,
  ): Promise<AlertRow | undefined> {
    const row = await this.episodes.settleConfirmation(episode.id, outcome, tx);
    if (!row) return undefined;
    await this.history.insertEvent(
      {
        alertId: row.id,
        organizationId: row.organizationId,
        actorUserId: null,
        action: outcome === 'not_confirmed' ? 'not_confirmed' : 'confirm',
        fromStatus: episode.status,
        toStatus: row.status,
        detail,
      },
      tx,
    );
    return row;
  }

  private async send(command: DeviceCommandRow, correlationId: string): Promise<boolean> {
    const sent = await this.mqtt.publish(commandsTopic(command.deviceId), JSON.stringify(command.payload));
    if (sent) await this.commands.markSent(command.id);
    else
      this.logger.warn(
        { commandId: command.id, deviceId: command.deviceId, alertId: command.alertId, correlationId },
        'Device command not sent (no broker connection); kept for the sweep',
      );
    return sent;
  }
}
