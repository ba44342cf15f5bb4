import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertRow, NewAlertRow } from '../alerting.rows';
import { ALERT_COLUMNS, ACTIVE_SQL, CLOSED_STATUSES } from './alert.columns';

/** In `countClear`: whether the counted run resolves the episode (right-hand sides read the old row). */
const RESOLVES = `$6 AND $5 > 0 AND clear_count + $2 >= $5
  AND $4 - LEAST(COALESCE(clear_since, $3), $3) >= make_interval(mins => $7)`;

/** The episodes evaluation writes: a breach's episode found, opened, attached to, re-opened, waiting for a re-measurement, counted clear. */
@Injectable()
export class AlertEpisodeRepository {
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
         SELECT ${ALERT_COLUMNS} FROM alerts
         WHERE patient_id = $1 AND episode_key = $2
           AND (status IN ${ACTIVE_SQL}
                OR ($7 > 0 AND status IN ('resolved', 'dismissed') AND closed_at > now() - make_interval(mins => $7)
                    AND confirmation IS DISTINCT FROM 'not_confirmed'))
         ORDER BY status IN ${ACTIVE_SQL} DESC, closed_at DESC NULLS LAST
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
    return CLOSED_STATUSES.includes(episode.status)
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
       RETURNING ${ALERT_COLUMNS}`,
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
   * Attaches a breach to an active episode: one more occurrence, the latest value, the in-range
   * count reset. A `raise` (the breach is worse than the episode) also takes the breach's
   * severity, rule, summary and trigger, clears any snooze and moves the episode to
   * `raise.status`; when that is `pending_confirmation`, what it was raised from is kept so a
   * re-measurement that does not confirm puts it back (`settleConfirmation`).
   */
  async attachToEpisode(
    id: string,
    breach: {
      ruleId: string;
      ruleVersion: number;
      ruleDescription: string;
      summary: string;
      severity: AlertRow['severity'];
      value: number;
      measuredAt: Date;
      raise?: {
        status: AlertRow['status'];
        confirmBy: Date | null;
        trigger: { type: string; value: number; unit: string; deviceId: string; messageId: string };
      };
    },
    q: Queryable,
  ): Promise<AlertRow> {
    const raise = breach.raise;
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET
         occurrences = occurrences + 1,
         last_value = CASE WHEN $6 >= last_measured_at THEN $5 ELSE last_value END,
         last_measured_at = GREATEST(last_measured_at, $6),
         clear_count = 0,
         clear_since = NULL,
         severity = CASE WHEN $7 THEN $4 ELSE severity END,
         snoozed_until = CASE WHEN $7 THEN NULL ELSE snoozed_until END,
         rule_id = CASE WHEN $7 THEN $2 ELSE rule_id END,
         rule_description = CASE WHEN $7 THEN $3 ELSE rule_description END,
         rule_version = CASE WHEN $7 THEN $8 ELSE rule_version END,
         summary = CASE WHEN $7 THEN $9 ELSE summary END,
         raised_from = CASE WHEN $7 AND $10 = 'pending_confirmation' AND status <> 'pending_confirmation'
                            THEN jsonb_build_object('status', status, 'severity', severity, 'ruleId', rule_id,
                                                    'ruleVersion', rule_version, 'ruleDescription', rule_description,
                                                    'summary', summary)
                            ELSE raised_from END,
         confirm_by = CASE WHEN $7 AND $10 = 'pending_confirmation' AND status <> 'pending_confirmation' THEN $11
                           ELSE confirm_by END,
         confirmation = CASE WHEN $7 AND $10 = 'pending_confirmation' AND status <> 'pending_confirmation' THEN 'pending'
                             ELSE confirmation END,
         status = CASE WHEN $7 THEN $10 ELSE status END,
         trigger_type = CASE WHEN $7 THEN $12 ELSE trigger_type END,
         trigger_value = CASE WHEN $7 THEN $13 ELSE trigger_value END,
         trigger_unit = CASE WHEN $7 THEN $14 ELSE trigger_unit END,
         trigger_measured_at = CASE WHEN $7 THEN $6 ELSE trigger_measured_at END,
         trigger_device_id = CASE WHEN $7 THEN $15 ELSE trigger_device_id END,
         trigger_message_id = CASE WHEN $7 THEN $16 ELSE trigger_message_id END,
         updated_at = now()
       WHERE id = $1
       RETURNING ${ALERT_COLUMNS}`,
      [
        id,
        breach.ruleId,
        breach.ruleDescription,
        breach.severity,
        breach.value,
        breach.measuredAt,
        raise !== undefined,
        breach.ruleVersion,
        breach.summary,
        raise?.status ?? null,
        raise?.confirmBy ?? null,
        raise?.trigger.type ?? null,
        raise?.trigger.value ?? null,
        raise?.trigger.unit ?? null,
        raise?.trigger.deviceId ?? null,
        raise?.trigger.messageId ?? null,
      ],
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
              closed_at = NULL, clear_count = 0, clear_since = NULL, raised_from = NULL, assigned_to = NULL,
              snoozed_until = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('resolved', 'dismissed')
         AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.patient_id = alerts.patient_id
                         AND b.episode_key = alerts.episode_key AND b.status IN ${ACTIVE_SQL})
       RETURNING ${ALERT_COLUMNS}`,
      [id, pending?.confirmBy ?? null],
    );
    return rows[0];
  }

  /** The episodes of `patientIds` waiting for a re-measurement, locked: a batch may decide them. */
  async pendingConfirmationsForUpdate(patientIds: readonly string[], q: Queryable): Promise<AlertRow[]> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE patient_id = ANY($1::uuid[]) AND status = 'pending_confirmation'
       ORDER BY patient_id, episode_key FOR UPDATE`,
      [patientIds],
    );
    return rows;
  }

  /**
   * Ends a re-measure wait: `open` (confirmed or unanswered) or, not confirmed, `resolved` — or,
   * for an episode a worse breach raised (`raised_from`), back to the state, severity and rule
   * it was raised from. Only while the alert is still pending: of a job, a sweep and a batch
   * deciding at once, one wins.
   */
  async settleConfirmation(
    id: string,
    outcome: 'confirmed' | 'unanswered' | 'not_confirmed',
    q: Queryable,
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET confirmation = $2,
              status = CASE WHEN $2 <> 'not_confirmed' THEN 'open'
                            WHEN raised_from IS NOT NULL THEN raised_from->>'status'
                            ELSE 'resolved' END,
              closed_at = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NULL THEN now() ELSE closed_at END,
              severity = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NOT NULL THEN raised_from->>'severity'
                              ELSE severity END,
              rule_id = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NOT NULL THEN raised_from->>'ruleId'
                             ELSE rule_id END,
              rule_version = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NOT NULL
                                  THEN (raised_from->>'ruleVersion')::int ELSE rule_version END,
              rule_description = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NOT NULL
                                      THEN raised_from->>'ruleDescription' ELSE rule_description END,
              summary = CASE WHEN $2 = 'not_confirmed' AND raised_from IS NOT NULL THEN raised_from->>'summary'
                             ELSE summary END,
              raised_from = NULL,
              updated_at = now()
       WHERE id = $1 AND status = 'pending_confirmation'
       RETURNING ${ALERT_COLUMNS}`,
      [id, outcome],
    );
    return rows[0];
  }

  /** The alert, locked, while it is still `pending_confirmation`. */
  async pendingByIdForUpdate(id: string, q: Queryable): Promise<AlertRow[]> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 AND status = 'pending_confirmation' FOR UPDATE`,
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
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE patient_id = ANY($1::uuid[]) AND status IN ${ACTIVE_SQL}
       ORDER BY patient_id, episode_key FOR UPDATE`,
      [patientIds],
    );
    return rows;
  }

  /**
   * Counts `inRange` more in-range measurements on an episode, the earliest measured at
   * `firstAt` and the latest at `lastAt`. With `resolvable`, the episode is resolved ("all
   * clear") once `resolveAt` (0: never) are counted and they span `minMinutes` or more. Returns
   * the row and whether it was resolved.
   */
  async countClear(
    id: string,
    clear: {
      inRange: number;
      firstAt: Date;
      lastAt: Date;
      resolveAt: number;
      minMinutes: number;
      resolvable: boolean;
    },
    q: Queryable,
  ): Promise<{ row: AlertRow; resolved: boolean }> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET clear_count = clear_count + $2,
              clear_since = LEAST(COALESCE(clear_since, $3), $3),
              status = CASE WHEN ${RESOLVES} THEN 'resolved' ELSE status END,
              closed_at = CASE WHEN ${RESOLVES} THEN now() ELSE closed_at END,
              updated_at = now()
       WHERE id = $1
       RETURNING ${ALERT_COLUMNS}`,
      [id, clear.inRange, clear.firstAt, clear.lastAt, clear.resolveAt, clear.resolvable, clear.minMinutes],
    );
    return { row: rows[0], resolved: rows[0].status === 'resolved' };
  }

  /**
   * For the missed-reading check: per patient in `scope` among `patientIds` and key
   * among `episodeKeys`, whether an alert is active and the latest gap one was raised for.
   */
  async missedEpisodeStates(
    scope: PatientScope,
    patientIds: readonly string[],
    episodeKeys: readonly string[],
  ): Promise<
    Array<{ patientId: string; episodeKey: string; active: boolean; lastMissedSince: Date | null }>
  > {
    const params: unknown[] = [patientIds, episodeKeys];
    const { rows } = await this.db.query<{
      patientId: string;
      episodeKey: string;
      active: boolean;
      lastMissedSince: Date | null;
    }>(
      `SELECT patient_id AS "patientId", episode_key AS "episodeKey", bool_or(status IN ${ACTIVE_SQL}) AS active,
              max(missed_since) AS "lastMissedSince"
       FROM alerts WHERE ${scope.sql(params)} AND patient_id = ANY($1::uuid[]) AND episode_key = ANY($2::text[])
       GROUP BY patient_id, episode_key`,
      params,
    );
    return rows;
  }
}
