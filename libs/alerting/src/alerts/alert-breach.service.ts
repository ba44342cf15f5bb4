import { Injectable } from '@nestjs/common';
import { SEVERITY_RANK, type AlertStatus } from '@homeward/contracts';
import { AppConfig } from '@homeward/config';
import type { Queryable } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import type { BatchFinding } from '../protocols/batch-findings';
import type { EngineReading } from '../rules/rule-series';
import type { AlertChange } from './alert-change';
import { AlertConfirmationService, type RemeasureRequest } from './alert-confirmation.service';
import { AlertEpisodeRepository } from './alert-episode.repository';
import { AlertHistoryRepository } from './alert-history.repository';
import { AlertOccurrenceRepository } from './alert-occurrence.repository';

/** A reading of a stored batch, as evaluation attaches it to an alert. */
export interface BreachReading extends EngineReading {
  organizationId: string;
}

type Finding = BatchFinding<BreachReading>;

/** What one breach did, inside the batch's transaction. */
export interface RecordedBreach {
  change: AlertChange;
  /** A re-measure request to send once the batch commits. */
  remeasure?: RemeasureRequest;
}

/**
 * Records one breach in its episode, inside the batch's transaction. Against alarm fatigue a
 * breach while the patient has an active alert of the same rule group attaches to it; a
 * worse breach raises it (`raise`); otherwise a breach re-opens an episode closed within the
 * cool-down, or opens a new one.
 */
@Injectable()
export class AlertBreachService {
  constructor(
    private readonly episodes: AlertEpisodeRepository,
    private readonly history: AlertHistoryRepository,
    private readonly occurrences: AlertOccurrenceRepository,
    private readonly confirmation: AlertConfirmationService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Idempotent: each breaching reading is linked to an episode once (`alert_occurrences`), so
   * a retried batch records nothing twice (undefined). An episode is locked while a breach
   * attaches, so concurrent batches of one patient serialise on it.
   */
  async record(
    finding: Finding,
    batchId: string,
    correlationId: string,
    tx: Queryable,
  ): Promise<RecordedBreach | undefined> {
    const { trigger } = finding;
    // A crisis or a flagged reading that opens, re-opens or raises an episode first asks for a re-measurement.
    const pending = this.confirmation.pendingFor(finding);
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await this.episodes.findEpisodeForBreach(
        { ...trigger, episodeKey: finding.group },
        this.config.ALERT_COOLDOWN_MINUTES,
        tx,
      );
      if (found.occurred) return undefined;
      let change: AlertChange | undefined;
      if (found.active) change = await this.attach(found.active, finding, pending, tx);
      else if (found.recentlyClosed)
        change = await this.reopen(found.recentlyClosed, finding, batchId, pending, tx);
      else change = await this.open(finding, batchId, correlationId, pending, tx);
      // Undefined: another worker opened or re-opened the episode meanwhile; look again.
      if (!change) continue;
      await this.occurrences.insertOccurrence(
        {
          patientId: trigger.patientId,
          episodeKey: finding.group,
          ruleId: finding.ruleId,
          ruleVersion: finding.ruleVersion,
          severity: finding.severity,
          deviceId: trigger.deviceId,
          messageId: trigger.messageId,
          type: trigger.type,
          measuredAt: trigger.measuredAt,
          value: trigger.value,
          unit: trigger.unit,
          batchId,
          alertId: change.row.id,
        },
        tx,
      );
      const asks = pending && finding.remeasure && change.row.status === 'pending_confirmation';
      if (!asks || change.kind === 'attached') return { change };
      return { change, remeasure: await this.askToRemeasure(change.row, finding, correlationId, tx) };
    }
    throw new Error(`No episode for patient ${trigger.patientId} and ${finding.group} after 3 attempts`);
  }

  /**
   * One more breach on an active episode. A worse one is worked like a new alert of its
   * severity: an acknowledged (or snoozed) episode goes back to `open`, or to
   * `pending_confirmation` when the breach asks for a re-measurement, and its history says
   * `severity_raised`; the caller then starts its escalation clock.
   */
  private async attach(
    episode: AlertRow,
    finding: Finding,
    pending: { confirmBy: Date } | undefined,
    tx: Queryable,
  ): Promise<AlertChange> {
    const { trigger } = finding;
    const worse = SEVERITY_RANK[finding.severity] > SEVERITY_RANK[episode.severity];
    const status = worse ? raisedStatus(episode.status, pending !== undefined) : episode.status;
    const row = await this.episodes.attachToEpisode(
      episode.id,
      {
        ruleId: finding.ruleId,
        ruleVersion: finding.ruleVersion,
        ruleDescription: finding.ruleDescription,
        summary: finding.summary,
        severity: finding.severity,
        value: trigger.value,
        measuredAt: trigger.measuredAt,
        ...(worse
          ? {
              raise: {
                status,
                confirmBy:
                  status === 'pending_confirmation' ? (pending?.confirmBy ?? episode.confirmBy) : null,
                trigger,
              },
            }
          : {}),
      },
      tx,
    );
    if (!worse) return { row, kind: 'attached' };
    await this.history.insertEvent(
      {
        alertId: row.id,
        organizationId: row.organizationId,
        actorUserId: null,
        action: 'severity_raised',
        fromStatus: episode.status,
        toStatus: row.status,
        detail: {
          fromSeverity: episode.severity,
          toSeverity: row.severity,
          ruleId: finding.ruleId,
          reading: {
            type: trigger.type,
            value: trigger.value,
            unit: trigger.unit,
            measuredAt: trigger.measuredAt.toISOString(),
          },
        },
      },
      tx,
    );
    return { row, kind: 'raised' };
  }

  /** Re-opens an episode closed within the cool-down; undefined when another became active meanwhile. */
  private async reopen(
    closed: AlertRow,
    finding: Finding,
    batchId: string,
    pending: { confirmBy: Date } | undefined,
    tx: Queryable,
  ): Promise<AlertChange | undefined> {
    const reopened = await this.episodes.reopen(closed.id, tx, pending);
    if (!reopened) return undefined;
    await this.history.insertEvent(
      {
        alertId: reopened.id,
        organizationId: reopened.organizationId,
        actorUserId: null,
        action: 'reopen',
        fromStatus: closed.status,
        toStatus: reopened.status,
        detail: { batchId, cooldownMinutes: this.config.ALERT_COOLDOWN_MINUTES },
      },
      tx,
    );
    // The breach that re-opened it sets its severity, as any breach on an active episode does.
    const attached = await this.attach(reopened, finding, pending, tx);
    return { row: attached.row, kind: 'reopened' };
  }

  /** A new episode; undefined when another worker opened one for the same patient and group first. */
  private async open(
    finding: Finding,
    batchId: string,
    correlationId: string,
    pending: { confirmBy: Date } | undefined,
    tx: Queryable,
  ): Promise<AlertChange | undefined> {
    const { trigger } = finding;
    const row = await this.episodes.insertEpisode(
      {
        organizationId: trigger.organizationId,
        patientId: trigger.patientId,
        ruleId: finding.ruleId,
        ruleVersion: finding.ruleVersion,
        ruleKind: finding.ruleKind,
        ruleDescription: finding.ruleDescription,
        summary: finding.summary,
        severity: finding.severity,
        triggerType: trigger.type,
        triggerValue: trigger.value,
        triggerUnit: trigger.unit,
        triggerMeasuredAt: trigger.measuredAt,
        triggerDeviceId: trigger.deviceId,
        triggerMessageId: trigger.messageId,
        batchId,
        correlationId,
        episodeKey: finding.group,
        late: finding.late,
      },
      tx,
      pending,
    );
    return row && { row, kind: 'opened' };
  }

  /** The `remeasure` command for a pending episode, and, for a flagged reading, why it waits. */
  private async askToRemeasure(
    row: AlertRow,
    finding: Finding,
    correlationId: string,
    tx: Queryable,
  ): Promise<RemeasureRequest> {
    const types = finding.remeasure ?? [];
    const request = await this.confirmation.requestRemeasure(row, types, correlationId, tx);
    if (finding.unreliable)
      await this.history.insertEvent(
        {
          alertId: row.id,
          organizationId: row.organizationId,
          actorUserId: null,
          action: 'hold',
          fromStatus: row.status,
          toStatus: row.status,
          detail: { reason: 'unreliable_measurement', flags: [...finding.unreliable], types },
        },
        tx,
      );
    return request;
  }
}

/**
 * Where a worse breach leaves an episode: waiting for its re-measurement when it asks for one
 * (one already waiting keeps waiting), else back in the queue as `open`. An escalated episode
 * stays escalated: it is unacknowledged already and further up the chain.
 */
export function raisedStatus(status: AlertStatus, asksToRemeasure: boolean): AlertStatus {
  if (status === 'pending_confirmation' || status === 'escalated') return status;
  return asksToRemeasure ? 'pending_confirmation' : 'open';
}
