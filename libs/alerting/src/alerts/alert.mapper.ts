import type { AlertDto } from '@homeward/contracts';
import type { AlertRow } from '../alerting.rows';

/** The reading that raised the alert; null for alerts no one reading raises (`missed`). */
function triggerOf(row: AlertRow): AlertDto['trigger'] {
  const { triggerType: type, triggerValue: value, triggerUnit: unit } = row;
  const { triggerMeasuredAt: measuredAt, triggerDeviceId: deviceId, triggerMessageId: messageId } = row;
  // Whole or absent: the alerts_trigger_whole constraint.
  if (type === null || value === null || unit === null) return null;
  if (measuredAt === null || deviceId === null || messageId === null) return null;
  return { type, value, unit, measuredAt: measuredAt.toISOString(), deviceId, messageId };
}

export function mapAlert(row: AlertRow): AlertDto {
  return {
    id: row.id,
    sequence: Number(row.sequence),
    changeSequence: Number(row.changeSequence),
    organizationId: row.organizationId,
    patientId: row.patientId,
    severity: row.severity,
    status: row.status,
    rule: { id: row.ruleId, kind: row.ruleKind, description: row.ruleDescription, version: row.ruleVersion },
    summary: row.summary ?? row.ruleDescription,
    trigger: triggerOf(row),
    late: row.late,
    occurrences: row.occurrences,
    lastValue: row.lastValue,
    lastMeasuredAt: row.lastMeasuredAt ? row.lastMeasuredAt.toISOString() : null,
    assignedTo: row.assignedTo,
    snoozedUntil: row.snoozedUntil ? row.snoozedUntil.toISOString() : null,
    inRangeSince: row.clearSince ? row.clearSince.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
