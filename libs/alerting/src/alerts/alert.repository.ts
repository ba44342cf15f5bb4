import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/identity';
import { Database, type Queryable } from '@homeward/platform';
import type {
  AlertEventRow,
  AlertOccurrenceRow,
  AlertResponseTimesRow,
  AlertRow,
  AlertStateCountRow,
  NewAlertRow,
} from '../alerting.rows';

const COLUMNS = `id, sequence::text AS sequence, change_sequence::text AS "changeSequence", organization_id AS "organizationId", patient_id AS "patientId", rule_id AS "ruleId", rule_version AS "ruleVersion",
  rule_kind AS "ruleKind", rule_description AS "ruleDescription", summary, severity, status, trigger_type AS "triggerType",
  trigger_value AS "triggerValue", trigger_unit AS "triggerUnit", trigger_measured_at AS "triggerMeasuredAt",
  trigger_device_id AS "triggerDeviceId", trigger_message_id AS "triggerMessageId", batch_id AS "batchId",
  correlation_id AS "correlationId", assigned_to AS "assignedTo", snoozed_until AS "snoozedUntil",
  episode_key AS "episodeKey", late, occurrences, clear_count AS "clearCount", last_value AS "lastValue", last_measured_at AS "lastMeasuredAt",
  missed_since AS "missedSince", confirm_by AS "confirmBy", confirmation, created_at AS "createdAt", updated_at AS "updatedAt"`;

const ACTIVE = `('pending_confirmation', 'open', 'acknowledged', 'escalated')`;

const CLOSED = ['resolved', 'dismissed'];

export interface AlertListFilter {
  statuses?: readonly AlertRow['status'][];
  assignedTo?: string;
  patientId?: string;
  severity?: AlertRow['severity'];
  /** Unless true, alerts snoozed until a time still to come are left out. */
  includeSnoozed?: boolean;
  /** Exclusive bounds on `sequence`, as bigint text. */
  afterSequence?: string;
  beforeSequence?: string;
  limit: number;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly db: Database) {}

  /**
   * What a breach finds, in one statement (evaluation's hot path: each round trip costs a
   * millisecond or two under load): whether it was linked to an episode before (a re-evaluated
   * batch), and the episode it belongs to, locked until the transaction ends — the patient's
   * active episode of `episodeKey`, else (with a cool-down) the one closed within it, which the
   * breach re-opens. An episode its re-measurement did not confirm was never one to come back to.
   */
  async findEpisodeForBreach(
    breach: {
      patientId: string;
      episodeKey: string;
      deviceId: string;
      messageId: string;
      type: string;
      measuredAt: Date;
    },
    cooldownMinutes: number,
    q: Queryable,
  ): Promise<{ occurred: boolean; active?: AlertRow; recentlyClosed?: AlertRow }> {
    const { rows } = await q.query<(AlertRow | { id: null }) & { occurred: boolean }>(
      `WITH occurred AS (
         SELECT EXISTS (SELECT 1 FROM alert_occurrences
                        WHERE patient_id = $1 AND episode_key = $2 AND device_id = $3 AND message_id = $4
                          AND type = $5 AND measured_at = $6) AS occurred
       ), episode AS (
         SELECT ${COLUMNS} FROM alerts
         WHERE patient_id = $1 AND episode_key = $2
           AND (status IN ${ACTIVE}
                OR ($7 > 0 AND status IN ('resolved', 'dismissed') AND closed_at > now() - make_interval(mins => $7)
                    AND confirmation IS DISTINCT FROM 'not_confirmed'))
         ORDER BY status IN ${ACTIVE} DESC, closed_at DESC NULLS LAST
         LIMIT 1
         FOR UPDATE
       )
       SELECT occurred.occurred, episode.* FROM occurred LEFT JOIN episode ON true`,
      [
        breach.patientId,
        breach.episodeKey,
        breach.deviceId,
        breach.messageId,
        breach.type,
        breach.measuredAt,
        cooldownMinutes,
      ],
    );
    const { occurred, ...episode } = rows[0];
    if (episode.id === null) return { occurred };
    return CLOSED.includes(episode.status)
      ? { occurred, recentlyClosed: episode }
      : { occurred, active: episode };
  }

  /**
   * Opens an episode, `pending_confirmation` until `confirmBy` when it waits for a re-measurement;
   * undefined when another worker opened one for the same patient and key first, or (a `missed`
   * alert) its gap was raised before.
   */
  async insertEpisode(
    alert: NewAlertRow,
    q: Queryable,
    pending?: { confirmBy: Date },
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, trigger_type,
                           trigger_value, trigger_unit, trigger_measured_at, trigger_device_id, trigger_message_id,
                           batch_id, correlation_id, episode_key, last_value, last_measured_at, late, rule_version,
                           missed_since, status, confirm_by, confirmation, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
               CASE WHEN $21::timestamptz IS NULL THEN 'open' ELSE 'pending_confirmation' END, $21,
               CASE WHEN $21::timestamptz IS NULL THEN NULL ELSE 'pending' END, $22)
       -- Any unique conflict: an active episode of the key, or (missed) an alert of the same gap.
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        alert.organizationId,
        alert.patientId,
        alert.ruleId,
        alert.ruleKind,
        alert.ruleDescription,
        alert.severity,
        alert.triggerType,
        alert.triggerValue,
        alert.triggerUnit,
        alert.triggerMeasuredAt,
        alert.triggerDeviceId,
        alert.triggerMessageId,
        alert.batchId,
        alert.correlationId,
        alert.episodeKey,
        alert.lastValue === undefined ? alert.triggerValue : alert.lastValue,
        alert.lastMeasuredAt === undefined ? alert.triggerMeasuredAt : alert.lastMeasuredAt,
        alert.late,
        alert.ruleVersion,
        alert.missedSince ?? null,
        pending?.confirmBy ?? null,
        alert.summary,
      ],
    );
    return rows[0];
  }

  /**
   * Attaches a breach to its episode: one more occurrence, the latest value, and the rule and
   * severity of the breach when it is worse than what the episode had.
   */
  async attachToEpisode(
    id: string,
    breach: {
      ruleId: string;
      ruleVersion: number;
      ruleDescription: string;
      summary: string;
      severity: AlertRow['severity'];
      escalate: boolean;
      value: number;
      measuredAt: Date;
    },
    q: Queryable,
  ): Promise<AlertRow> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET
         occurrences = occurrences + 1,
         last_value = CASE WHEN $6 >= last_measured_at THEN $5 ELSE last_value END,
         last_measured_at = GREATEST(last_measured_at, $6),
         severity = CASE WHEN $7 THEN $4 ELSE severity END,
         -- A worse breach brings a snoozed alert back to the queue at once.
         snoozed_until = CASE WHEN $7 THEN NULL ELSE snoozed_until END,
         clear_count = 0,
         rule_id = CASE WHEN $7 THEN $2 ELSE rule_id END,
         rule_description = CASE WHEN $7 THEN $3 ELSE rule_description END,
         rule_version = CASE WHEN $7 THEN $8 ELSE rule_version END,
         summary = CASE WHEN $7 THEN $9 ELSE summary END,
         updated_at = now()
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [
        id,
        breach.ruleId,
        breach.ruleDescription,
        breach.severity,
        breach.value,
        breach.measuredAt,
        breach.escalate,
        breach.ruleVersion,
        breach.summary,
      ],
    );
    return rows[0];
  }

  /** Links a breaching reading to its episode; false when it was linked before (a re-evaluated batch). */
  async insertOccurrence(
    occurrence: AlertOccurrenceRow & {
      alertId: string;
      patientId: string;
      episodeKey: string;
      batchId: string;
    },
    q: Queryable,
  ): Promise<boolean> {
    const result = await q.query(
      `INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id, type,
                                      measured_at, value, unit, batch_id, rule_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING`,
      [
        occurrence.alertId,
        occurrence.patientId,
        occurrence.episodeKey,
        occurrence.ruleId,
        occurrence.severity,
        occurrence.deviceId,
        occurrence.messageId,
        occurrence.type,
        occurrence.measuredAt,
        occurrence.value,
        occurrence.unit,
        occurrence.batchId,
        occurrence.ruleVersion,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** The readings that fed an alert, oldest first. */
  async listOccurrences(alertId: string): Promise<AlertOccurrenceRow[]> {
    const { rows } = await this.db.query<AlertOccurrenceRow>(
      `SELECT rule_id AS "ruleId", rule_version AS "ruleVersion", severity, device_id AS "deviceId", message_id AS "messageId", type,
              measured_at AS "measuredAt", value, unit
       FROM alert_occurrences WHERE alert_id = $1 ORDER BY measured_at, type`,
      [alertId],
    );
    return rows;
  }

  /**
   * The alerts of the patients in `scope`, newest first, optionally within a status, patient, severity and
   * an exclusive sequence range (`beforeSequence` is the keyset cursor of the next page).
   */
  async listInScope(scope: PatientScope, filter: AlertListFilter): Promise<AlertRow[]> {
    // The table column: ORDER BY would take the select list's text `sequence` (PostgreSQL docs 7.5).
    const { rows } = await this.db.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts
       WHERE organization_id = $1 AND ($2::text[] IS NULL OR status = ANY($2)) AND ($3::uuid IS NULL OR patient_id = $3)
         AND ($4::text IS NULL OR severity = $4)
         AND ($5::bigint IS NULL OR alerts.sequence > $5) AND ($6::bigint IS NULL OR alerts.sequence < $6)
         AND ($8::uuid IS NULL OR assigned_to = $8)
         AND ($9 OR snoozed_until IS NULL OR snoozed_until <= now())
       ORDER BY alerts.sequence DESC LIMIT $7`,
      [
        scope.organizationId,
        filter.statuses?.length ? filter.statuses : null,
        filter.patientId ?? null,
        filter.severity ?? null,
        filter.afterSequence ?? null,
        filter.beforeSequence ?? null,
        filter.limit,
        filter.assignedTo ?? null,
        filter.includeSnoozed ?? false,
      ],
    );
    return rows;
  }

  /** An alert by id, locked until the transaction ends (the platform's own actions: escalation). */
  async findForUpdate(id: string, q: Queryable): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async findInScope(scope: PatientScope, id: string, q: Queryable = this.db): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE organization_id = $1 AND id = $2`,
      [scope.organizationId, id],
    );
    return rows[0];
  }

  /**
   * Applies an action's change only while the alert is still in one of `fromStatuses`: of two
   * people acting at once, the second finds no row and is told the state that beat it.
   */
  async transition(
    change: {
      scope: PatientScope;
      id: string;
      fromStatuses: readonly AlertRow['status'][];
      toStatus?: AlertRow['status'];
      assignedTo?: string;
      snoozedUntil?: Date;
    },
    q: Queryable = this.db,
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET
         status = COALESCE($4, status),
         assigned_to = COALESCE($5, assigned_to),
         snoozed_until = CASE WHEN $6::timestamptz IS NOT NULL THEN $6
                              WHEN $4 IS NOT NULL THEN NULL ELSE snoozed_until END,
         acknowledged_at = CASE WHEN $4 = 'acknowledged' THEN COALESCE(acknowledged_at, now()) ELSE acknowledged_at END,
         closed_at = CASE WHEN $4 = ANY($7::text[]) THEN now() ELSE closed_at END,
         updated_at = now()
       WHERE organization_id = $1 AND id = $2 AND status = ANY($3::text[])
       RETURNING ${COLUMNS}`,
      [
        change.scope.organizationId,
        change.id,
        change.fromStatuses,
        change.toStatus ?? null,
        change.assignedTo ?? null,
        change.snoozedUntil ?? null,
        CLOSED,
      ],
    );
    return rows[0];
  }

  async insertEvent(
    event: {
      alertId: string;
      organizationId: string;
      /** Null for the platform's own actions (re-opening, all clear). */
      actorUserId: string | null;
      action: string;
      fromStatus: AlertRow['status'];
      toStatus: AlertRow['status'];
      detail: Record<string, unknown>;
    },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO alert_events (alert_id, organization_id, actor_user_id, action, from_status, to_status, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        event.alertId,
        event.organizationId,
        event.actorUserId,
        event.action,
        event.fromStatus,
        event.toStatus,
        JSON.stringify(event.detail),
      ],
    );
  }

  /** An alert's history, oldest first. */
  async listEvents(alertId: string): Promise<AlertEventRow[]> {
    const { rows } = await this.db.query<AlertEventRow>(
      `SELECT id::text AS id, action, actor_user_id AS "actorUserId", from_status AS "fromStatus",
              to_status AS "toStatus", detail, created_at AS "createdAt"
       FROM alert_events WHERE alert_id = $1 ORDER BY id`,
      [alertId],
    );
    return rows;
  }

  /** Counts by severity and state of the alerts raised in [from, to) in `scope`. */
  async countByState(scope: PatientScope, from: Date, to: Date): Promise<AlertStateCountRow[]> {
    const { rows } = await this.db.query<AlertStateCountRow>(
      `SELECT severity, status, count(*)::int AS count FROM alerts
       WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3
       GROUP BY severity, status ORDER BY severity, status`,
      [scope.organizationId, from, to],
    );
    return rows;
  }

  /**
   * Median and 90th percentile seconds from raising to acknowledgement and to resolution of the
   * alerts raised in [from, to), with the number of alerts and of the scope's patients.
   */
  async responseTimes(scope: PatientScope, from: Date, to: Date): Promise<AlertResponseTimesRow> {
    const { rows } = await this.db.query<AlertResponseTimesRow>(
      `SELECT count(*)::int AS alerts,
              (SELECT count(*)::int FROM patients WHERE organization_id = $1) AS patients,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at))
                AS "acknowledgeP50",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at))
                AS "acknowledgeP90",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at))
                FILTER (WHERE status = 'resolved') AS "resolveP50",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at))
                FILTER (WHERE status = 'resolved') AS "resolveP90"
       FROM alerts WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3`,
      [scope.organizationId, from, to],
    );
    return rows[0];
  }

  /**
   * Re-opens a closed episode (as `pending_confirmation` until `confirmBy` when the breach waits
   * for a re-measurement); undefined when another one of the same key is active meanwhile.
   */
  async reopen(id: string, q: Queryable, pending?: { confirmBy: Date }): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET status = CASE WHEN $2::timestamptz IS NULL THEN 'open' ELSE 'pending_confirmation' END,
              confirm_by = COALESCE($2, confirm_by),
              confirmation = CASE WHEN $2::timestamptz IS NULL THEN confirmation ELSE 'pending' END,
              closed_at = NULL, clear_count = 0, assigned_to = NULL, snoozed_until = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('resolved', 'dismissed')
         AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.patient_id = alerts.patient_id
                         AND b.episode_key = alerts.episode_key AND b.status IN ${ACTIVE})
       RETURNING ${COLUMNS}`,
      [id, pending?.confirmBy ?? null],
    );
    return rows[0];
  }

  /** The episodes of `patientIds` waiting for a re-measurement, locked: a batch may decide them. */
  async pendingConfirmationsForUpdate(patientIds: readonly string[], q: Queryable): Promise<AlertRow[]> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE patient_id = ANY($1::uuid[]) AND status = 'pending_confirmation'
       ORDER BY patient_id, episode_key FOR UPDATE`,
      [patientIds],
    );
    return rows;
  }

  /**
   * Ends a re-measure wait: `open` (confirmed or unanswered) or `resolved` (not confirmed). Only
   * while the alert is still pending: of a job, a sweep and a batch deciding at once, one wins.
   */
  async settleConfirmation(
    id: string,
    outcome: 'confirmed' | 'unanswered' | 'not_confirmed',
    q: Queryable,
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET confirmation = $2,
              status = CASE WHEN $2 = 'not_confirmed' THEN 'resolved' ELSE 'open' END,
              closed_at = CASE WHEN $2 = 'not_confirmed' THEN now() ELSE closed_at END,
              updated_at = now()
       WHERE id = $1 AND status = 'pending_confirmation'
       RETURNING ${COLUMNS}`,
      [id, outcome],
    );
    return rows[0];
  }

  /** The alert, locked, while it is still `pending_confirmation`. */
  async pendingByIdForUpdate(id: string, q: Queryable): Promise<AlertRow[]> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE id = $1 AND status = 'pending_confirmation' FOR UPDATE`,
      [id],
    );
    return rows;
  }

  /** Ids of alerts still pending past their deadline: their delayed job was lost or is late. */
  async listDueConfirmations(limit: number): Promise<Array<{ id: string; correlationId: string }>> {
    const { rows } = await this.db.query<{ id: string; correlationId: string }>(
      `SELECT id, correlation_id AS "correlationId" FROM alerts
       WHERE status = 'pending_confirmation' AND confirm_by <= now()
       ORDER BY confirm_by LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /** The active episodes of `patientIds`, locked: the batch counts its in-range readings on them. */
  async activeEpisodesForUpdate(patientIds: readonly string[], q: Queryable): Promise<AlertRow[]> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE patient_id = ANY($1::uuid[]) AND status IN ${ACTIVE}
       ORDER BY patient_id, episode_key FOR UPDATE`,
      [patientIds],
    );
    return rows;
  }

  /**
   * Counts `inRange` more in-range readings on an episode; at `resolveAt` (0: never) it is
   * resolved, all clear. Returns the row when it was resolved.
   */
  async countClear(
    id: string,
    inRange: number,
    resolveAt: number,
    q: Queryable,
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET clear_count = clear_count + $2,
              status = CASE WHEN $3 > 0 AND clear_count + $2 >= $3 THEN 'resolved' ELSE status END,
              closed_at = CASE WHEN $3 > 0 AND clear_count + $2 >= $3 THEN now() ELSE closed_at END,
              updated_at = CASE WHEN $3 > 0 AND clear_count + $2 >= $3 THEN now() ELSE updated_at END
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, inRange, resolveAt],
    );
    return rows[0]?.status === 'resolved' ? rows[0] : undefined;
  }

  /**
   * Alerts in `scope` raised at or before `afterSequence` and changed after it, oldest change
   * first: what a reconnecting client has a stale copy of.
   */
  async listChangedAfter(scope: PatientScope, afterSequence: string, limit: number): Promise<AlertRow[]> {
    const { rows } = await this.db.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts
       WHERE organization_id = $1 AND alerts.sequence <= $2 AND alerts.change_sequence > $2
       ORDER BY alerts.change_sequence LIMIT $3`,
      [scope.organizationId, afterSequence, limit],
    );
    return rows;
  }

  /**
   * For the missed-reading check: per patient of `organizationId` among `patientIds` and key
   * among `episodeKeys`, whether an alert is active and the latest gap one was raised for.
   */
  async missedEpisodeStates(
    organizationId: string,
    patientIds: readonly string[],
    episodeKeys: readonly string[],
  ): Promise<
    Array<{ patientId: string; episodeKey: string; active: boolean; lastMissedSince: Date | null }>
  > {
    const { rows } = await this.db.query<{
      patientId: string;
      episodeKey: string;
      active: boolean;
      lastMissedSince: Date | null;
    }>(
      `SELECT patient_id AS "patientId", episode_key AS "episodeKey", bool_or(status IN ${ACTIVE}) AS active,
              max(missed_since) AS "lastMissedSince"
       FROM alerts WHERE organization_id = $1 AND patient_id = ANY($2::uuid[]) AND episode_key = ANY($3::text[])
       GROUP BY patient_id, episode_key`,
      [organizationId, patientIds, episodeKeys],
    );
    return rows;
  }

  /**
   * Per patient among `patientIds` in `scope` with active alerts: how many, and the worst
   * severity among them (snoozed ones included: they are still open).
   */
  async activeSummary(
    scope: PatientScope,
    patientIds: readonly string[],
  ): Promise<Array<{ patientId: string; count: number; worstSeverity: AlertRow['severity'] }>> {
    const { rows } = await this.db.query<{
      patientId: string;
      count: number;
      worstSeverity: AlertRow['severity'];
    }>(
      `SELECT patient_id AS "patientId", count(*)::int AS count,
              (array_agg(severity ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END))[1]
                AS "worstSeverity"
       FROM alerts WHERE organization_id = $1 AND patient_id = ANY($2::uuid[]) AND status IN ${ACTIVE}
       GROUP BY patient_id`,
      [scope.organizationId, patientIds],
    );
    return rows;
  }

  /**
   * The breaching readings linked to any alert of the patient in `scope`, measured in
   * [from, to], oldest first, with their alert: what a chart marks.
   */
  async listOccurrencesForPatient(
    scope: PatientScope,
    patientId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Array<AlertOccurrenceRow & { alertId: string; alertStatus: AlertRow['status'] }>> {
    const { rows } = await this.db.query<
      AlertOccurrenceRow & { alertId: string; alertStatus: AlertRow['status'] }
    >(
      `SELECT o.alert_id AS "alertId", a.status AS "alertStatus", o.rule_id AS "ruleId", o.rule_version AS "ruleVersion",
              o.severity, o.device_id AS "deviceId", o.message_id AS "messageId", o.type, o.measured_at AS "measuredAt",
              o.value, o.unit
       FROM alert_occurrences o JOIN alerts a ON a.id = o.alert_id AND a.organization_id = $1
       WHERE o.patient_id = $2 AND o.measured_at >= $3 AND o.measured_at <= $4
       ORDER BY o.measured_at, o.type LIMIT $5`,
      [scope.organizationId, patientId, from, to, limit],
    );
    return rows;
  }
}
