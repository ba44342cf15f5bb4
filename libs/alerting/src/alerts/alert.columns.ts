import { ACTIVE_ALERT_STATUSES, CLOSED_ALERT_STATUSES, sqlStatusList } from '@homeward/contracts';

/** The alert row's columns, as `AlertRow` names them. */
export const ALERT_COLUMNS = `id, sequence::text AS sequence, change_sequence::text AS "changeSequence", organization_id AS "organizationId", patient_id AS "patientId", rule_id AS "ruleId", rule_version AS "ruleVersion",
  rule_kind AS "ruleKind", rule_description AS "ruleDescription", summary, severity, status, trigger_type AS "triggerType",
  trigger_value AS "triggerValue", trigger_unit AS "triggerUnit", trigger_measured_at AS "triggerMeasuredAt",
  trigger_device_id AS "triggerDeviceId", trigger_message_id AS "triggerMessageId", batch_id AS "batchId",
  correlation_id AS "correlationId", assigned_to AS "assignedTo", snoozed_until AS "snoozedUntil",
  episode_key AS "episodeKey", late, occurrences, clear_count AS "clearCount", clear_since AS "clearSince", last_value AS "lastValue", last_measured_at AS "lastMeasuredAt",
  missed_since AS "missedSince", confirm_by AS "confirmBy", confirmation, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The active states, for SQL. */
export const ACTIVE_SQL = sqlStatusList(ACTIVE_ALERT_STATUSES);

export const CLOSED_STATUSES: readonly string[] = CLOSED_ALERT_STATUSES;
