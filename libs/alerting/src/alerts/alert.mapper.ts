import type { AlertDto } from '@homeward/contracts';
import type { AlertRow } from '../alerting.rows';

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
    trigger: {
      type: row.triggerType,
      value: row.triggerValue,
      unit: row.triggerUnit,
      measuredAt: row.triggerMeasuredAt.toISOString(),
      deviceId: row.triggerDeviceId,
      messageId: row.triggerMessageId,
    },
    late: row.late,
    occurrences: row.occurrences,
    lastValue: row.lastValue,
    lastMeasuredAt: row.lastMeasuredAt.toISOString(),
    assignedTo: row.assignedTo,
    snoozedUntil: row.snoozedUntil ? row.snoozedUntil.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
