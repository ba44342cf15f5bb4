import { Injectable } from '@nestjs/common';
import { SEVERITY_RANK } from '@homeward/contracts';
import { ReadingBatchService } from '@homeward/monitoring';
import { AppConfig } from '@homeward/config';
import { InjectLogger, alertsRaised, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import { batchFindings, historyStart } from '../protocols/batch-findings';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { PatientRuleSets } from '../protocols/patient-rule-sets';
import { GROUP_TYPES, type PatientRuleSet } from '../protocols/patient-rules';
import { unreliableMeasurements } from '../rules/measurement-quality';
import { measurementKey } from '../rules/rule-series';
import { AlertConfirmationService, type RemeasureRequest } from './alert-confirmation.service';
import { AlertPublisher } from './alert-publisher';
import { mapAlert } from './alert.mapper';
import { AlertEpisodeRepository } from './alert-episode.repository';
import { AlertHistoryRepository } from './alert-history.repository';
import { AlertOccurrenceRepository } from './alert-occurrence.repository';

type BatchReading = Awaited<ReturnType<ReadingBatchService['readingsOf']>>[number];

/** The reading that ended a missed-reading alert, as its history names it. */
function newestReading(readings: readonly BatchReading[]): Record<string, string> {
  const newest = readings.reduce((a, b) => (b.measuredAt > a.measuredAt ? b : a));
  return {
    type: newest.type,
    measuredAt: newest.measuredAt.toISOString(),
    deviceId: newest.deviceId,
    messageId: newest.messageId,
  };
}

/** Evaluates stored batches against the rules and raises alerts. */
@Injectable()
export class AlertEvaluationService {
  constructor(
    private readonly db: Database,
    private readonly batches: ReadingBatchService,
    private readonly episodes: AlertEpisodeRepository,
    private readonly history: AlertHistoryRepository,
    private readonly occurrences: AlertOccurrenceRepository,
    private readonly ruleSets: PatientRuleSets,
    private readonly publisher: AlertPublisher,
    private readonly confirmation: AlertConfirmationService,
    private readonly config: AppConfig,
    private readonly escalation: AlertEscalationScheduler,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Idempotent: a batch already evaluated is skipped, and each breaching reading is linked to
   * an episode once (`alert_occurrences`), so a retried or swept job raises nothing twice.
   * Against alarm fatigue, a breach while the patient has an active alert of the same rule
   * group attaches to it (one more occurrence, the latest value, the worse severity) and is
   * pushed as `alert.updated`; only a new episode is `alert.created`.
   */
  async evaluateBatch(
    batchId: string,
    correlationId: string,
    /** The batch's patients as its producer knew them: their rule sets are read beside the batch. */
    expectedPatientIds?: readonly string[],
  ): Promise<{ raised: number }> {
    // Side by side, one round trip instead of three: a batch evaluated already is rare (a retry).
    const [batch, readings, hinted] = await Promise.all([
      this.batches.find(batchId),
      this.batches.readingsOf(batchId),
      expectedPatientIds?.length
        ? this.ruleSets
            .of(expectedPatientIds)
            .then((ruleSets) => ({ ids: new Set(expectedPatientIds), ruleSets }))
        : undefined,
    ]);
    if (!batch) {
      this.logger.warn({ batchId, correlationId }, 'Evaluation job names an unknown batch; nothing to do');
      return { raised: 0 };
    }
    if (batch.evaluatedAt) return { raised: 0 };

    const patientIds = [...new Set(readings.map((reading) => reading.patientId))];
    const now = new Date();
    const ruleSets = await this.ruleSetsOf(patientIds, hinted, now);
    // Patients on protocols or overrides are evaluated with their history, loaded for all of them at once.
    const history =
      ruleSets.size > 0
        ? await this.batches.historySince(
            [...ruleSets.keys()],
            historyStart(ruleSets, new Date(Math.min(...readings.map((r) => r.measuredAt.getTime())))),
          )
        : [];
    const findings = batchFindings(readings, ruleSets, history, now, {
      lateAfterMinutes: this.config.ALERT_LATE_AFTER_MINUTES,
    });
    // One transaction for the batch: a retried job finds its occurrences linked and attaches
    // nothing twice; an episode is locked while a breach attaches, so concurrent batches of
    // one patient serialise on it.
    const remeasure: RemeasureRequest[] = [];
    const changes = await this.db.transaction(async (tx) => {
      // `lifecycle`: the state changed without a breach (a re-measurement decided it, all clear).
      const changed: Array<{
        row: AlertRow;
        opened: boolean;
        worse: boolean;
        reopened?: boolean;
        lifecycle?: boolean;
      }> = [];
      // Pending alerts are decided by this batch's re-measurements first, so a reading that
      // does not confirm one is then evaluated like any other (remeasure.ts).
      for (const row of await this.confirmation.settleByBatch(readings, findings, tx))
        changed.push({ row, opened: false, worse: false, lifecycle: true });
      for (const rule of findings) {
        const { trigger } = rule;
        const episodeKey = rule.group;
        const occurrence = {
          patientId: trigger.patientId,
          episodeKey,
          ruleId: rule.ruleId,
          ruleVersion: rule.ruleVersion,
          severity: rule.severity,
          deviceId: trigger.deviceId,
          messageId: trigger.messageId,
          type: trigger.type,
          measuredAt: trigger.measuredAt,
          value: trigger.value,
          unit: trigger.unit,
          batchId,
        };
        let row: AlertRow | undefined;
        let opened = false;
        let worse = false;
        let reopened: AlertRow | undefined;
        // A crisis or a flagged reading that opens (or re-opens) an episode first asks for a re-measurement.
        const pending = this.confirmation.pendingFor(rule);
        let linkedBefore = false;
        for (let attempt = 0; !row && attempt < 3; attempt++) {
          // The active episode, else one closed within the cool-down (re-opened), else a new one.
          const found = await this.episodes.findEpisodeForBreach(
            occurrence,
            this.config.ALERT_COOLDOWN_MINUTES,
            tx,
          );
          if (found.occurred) {
            linkedBefore = true;
            break;
          }
          const episode =
            found.active ??
            (found.recentlyClosed &&
              (reopened = await this.reopen(found.recentlyClosed, batchId, tx, pending)));
          if (episode) {
            worse = SEVERITY_RANK[rule.severity] > SEVERITY_RANK[episode.severity];
            row = await this.episodes.attachToEpisode(
              episode.id,
              {
                ruleId: rule.ruleId,
                ruleVersion: rule.ruleVersion,
                ruleDescription: rule.ruleDescription,
                summary: rule.summary,
                severity: rule.severity,
                escalate: worse,
                value: trigger.value,
                measuredAt: trigger.measuredAt,
              },
              tx,
            );
          } else {
            row = await this.episodes.insertEpisode(
              {
                organizationId: trigger.organizationId,
                patientId: trigger.patientId,
                ruleId: rule.ruleId,
                ruleVersion: rule.ruleVersion,
                ruleKind: rule.ruleKind,
                ruleDescription: rule.ruleDescription,
                summary: rule.summary,
                severity: rule.severity,
                triggerType: trigger.type,
                triggerValue: trigger.value,
                triggerUnit: trigger.unit,
                triggerMeasuredAt: trigger.measuredAt,
                triggerDeviceId: trigger.deviceId,
                triggerMessageId: trigger.messageId,
                batchId,
                correlationId,
                episodeKey,
                late: rule.late,
              },
              tx,
              pending,
            );
            opened = Boolean(row);
          }
        }
        if (linkedBefore) continue;
        if (!row)
          throw new Error(`No episode for patient ${trigger.patientId} and ${episodeKey} after 3 attempts`);
        if (pending && rule.remeasure && (opened || reopened)) {
          remeasure.push(await this.confirmation.requestRemeasure(row, rule.remeasure, correlationId, tx));
          // Why it waits, in its history: the device doubted its own measurement.
          if (rule.unreliable)
            await this.history.insertEvent(
              {
                alertId: row.id,
                organizationId: row.organizationId,
                actorUserId: null,
                action: 'hold',
                fromStatus: row.status,
                toStatus: row.status,
                detail: {
                  reason: 'unreliable_measurement',
                  flags: [...rule.unreliable],
                  types: rule.remeasure,
                },
              },
              tx,
            );
        }
        await this.occurrences.insertOccurrence({ ...occurrence, alertId: row.id }, tx);
        changed.push({ row, opened, worse, reopened: Boolean(reopened) });
      }
      for (const row of await this.countAllClear(readings, findings, tx))
        changed.push({ row, opened: false, worse: false, lifecycle: true });
      // With the changes, so a re-run of a committed batch counts nothing twice.
      await this.batches.markEvaluated(batchId, tx);
      return changed;
    });
    // Sockets are at-most-once: alerts live in PostgreSQL and clients replay what they missed.
    // The last state of each alert is pushed, as new if this batch opened it.
    const last = new Map(changes.map((change) => [change.row.id, change]));
    const openedIds = new Set(changes.filter((change) => change.opened).map((change) => change.row.id));
    for (const { row, opened, worse } of last.values()) {
      const alert = mapAlert(row);
      if (openedIds.has(row.id)) {
        alertsRaised.inc({ severity: row.severity });
        // A late alert describes the past: it waits in the queue instead of ringing as new.
        if (!row.late) this.publisher.alertCreated(alert);
      } else this.publisher.alertUpdated(alert);
      this.logger.info(
        {
          alertId: row.id,
          patientId: row.patientId,
          ruleId: row.ruleId,
          severity: row.severity,
          status: row.status,
          occurrences: row.occurrences,
          worse,
          late: row.late,
          correlationId,
        },
        opened
          ? 'Alert raised'
          : row.status === 'resolved'
            ? row.confirmation === 'not_confirmed'
              ? 'Breach not confirmed by the re-measurement: alert resolved'
              : 'Alert resolved: all clear'
            : worse
              ? 'Alert severity rose'
              : 'Breach attached to an open alert',
      );
    }
    // After the commit: critical alerts start their escalation clock, resolved ones stop it. A
    // breach that only attached changed neither state nor severity: nothing to plan or cancel.
    const lifecycleChanged = new Set(
      changes
        .filter((change) => change.lifecycle || change.opened || change.worse || change.reopened)
        .map((change) => change.row.id),
    );
    await this.escalation.afterChange(
      [...last.values()].filter((change) => lifecycleChanged.has(change.row.id)).map((change) => change.row),
    );
    // After the pushes: the queue shows the pending alert while the device is being asked.
    await this.confirmation.afterCommit(remeasure);
    return { raised: openedIds.size };
  }

  /**
   * The rule sets of the batch's patients: those read beside the batch when the job named its
   * patients, the rest (a job from the sweep, a hint that missed someone) read now.
   */
  private async ruleSetsOf(
    patientIds: readonly string[],
    hinted: { ids: ReadonlySet<string>; ruleSets: ReadonlyMap<string, PatientRuleSet> } | undefined,
    now: Date,
  ): Promise<Map<string, PatientRuleSet>> {
    const missing = patientIds.filter((id) => !hinted?.ids.has(id));
    const ruleSets =
      missing.length > 0 ? await this.ruleSets.of(missing, now) : new Map<string, PatientRuleSet>();
    // Only the batch's own patients: their keys decide whose history is loaded.
    for (const id of patientIds) {
      const ruleSet = hinted?.ruleSets.get(id);
      if (ruleSet) ruleSets.set(id, ruleSet);
    }
    return ruleSets;
  }

  /** Re-opens an episode closed within the cool-down; undefined when another became active meanwhile. */
  private async reopen(
    closed: AlertRow,
    batchId: string,
    tx: Queryable,
    pending?: { confirmBy: Date },
  ): Promise<AlertRow | undefined> {
    const row = await this.episodes.reopen(closed.id, tx, pending);
    if (!row) return undefined;
    await this.history.insertEvent(
      {
        alertId: row.id,
        organizationId: row.organizationId,
        actorUserId: null,
        action: 'reopen',
        fromStatus: closed.status,
        toStatus: row.status,
        detail: { batchId, cooldownMinutes: this.config.ALERT_COOLDOWN_MINUTES },
      },
      tx,
    );
    return row;
  }

  /**
   * Counts, on each active episode of the batch's patients, the batch's measurements of the
   * episode's vital types that breached none of its rules; an episode reaching
   * ALERT_ALL_CLEAR_READINGS is resolved ("all clear") and re-arms: the next breach opens a
   * new one (or re-opens it within the cool-down). A missed-reading episode resolves on the
   * first reading of its type, whatever ALERT_ALL_CLEAR_READINGS says: the reading is what was
   * missing. Returns the alerts it resolved.
   */
  private async countAllClear(
    readings: readonly BatchReading[],
    findings: ReadonlyArray<{ group: string; trigger: BatchReading }>,
    tx: Queryable,
  ): Promise<AlertRow[]> {
    const resolveAt = this.config.ALERT_ALL_CLEAR_READINGS;
    if (readings.length === 0) return [];
    const breached = new Set(
      findings.map((f) => `${f.trigger.patientId}|${f.group}|${measurementKey(f.trigger)}`),
    );
    const patientIds = [...new Set(readings.map((r) => r.patientId))];
    const resolved: AlertRow[] = [];
    for (const episode of await this.episodes.activeEpisodesForUpdate(patientIds, tx)) {
      const types = GROUP_TYPES.get(episode.episodeKey);
      const missed = episode.ruleKind === 'missed';
      if (!types || (resolveAt === 0 && !missed)) continue;
      const ofTypes = readings.filter((r) => r.patientId === episode.patientId && types.has(r.type));
      // A measurement its device flagged unreliable says nothing about the breach: it clears nothing.
      const flagged = missed ? new Set<string>() : unreliableMeasurements(ofTypes);
      const inRange = new Set(
        ofTypes
          .map(measurementKey)
          .filter((m) => !breached.has(`${episode.patientId}|${episode.episodeKey}|${m}`) && !flagged.has(m)),
      );
      if (inRange.size === 0) continue;
      const row = await this.episodes.countClear(episode.id, inRange.size, missed ? 1 : resolveAt, tx);
      if (!row) continue;
      await this.history.insertEvent(
        {
          alertId: row.id,
          organizationId: row.organizationId,
          actorUserId: null,
          action: 'auto_resolve',
          fromStatus: episode.status,
          toStatus: 'resolved',
          detail: missed
            ? { reading: newestReading(ofTypes) }
            : { inRangeReadings: episode.clearCount + inRange.size },
        },
        tx,
      );
      resolved.push(row);
    }
    return resolved;
  }
}
