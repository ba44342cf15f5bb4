import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';
import { AlertHistoryRepository } from './alert-history.repository';
import { AlertRepository } from './alert.repository';

/** What a video visit records in the history of the alert it was started from. */
export type AlertVisitEvent = 'video_visit' | 'video_visit_missed';

/**
 * The telehealth domain's entry into an alert's history: a visit started from an alert, and a
 * visit that was missed, are entries of the alert's history like any action. The state does not
 * change. Runs in the caller's transaction so the visit and its history entry commit together.
 */
@Injectable()
export class AlertVisitEvents {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly history: AlertHistoryRepository,
  ) {}

  /** Whether the alert exists for this patient of this organisation (it is locked until commit). */
  async belongsTo(
    q: Queryable,
    alert: { alertId: string; organizationId: string; patientId: string },
  ): Promise<boolean> {
    const row = await this.alerts.findForUpdate(alert.alertId, q);
    return (
      row !== undefined && row.organizationId === alert.organizationId && row.patientId === alert.patientId
    );
  }

  /** Adds `event` to the alert's history; false (nothing written) when the alert is not the patient's. */
  async record(
    q: Queryable,
    event: {
      alertId: string;
      organizationId: string;
      patientId: string;
      /** Null when the platform records it (a missed visit). */
      actorUserId: string | null;
      action: AlertVisitEvent;
      visitId: string;
    },
  ): Promise<boolean> {
    const alert = await this.alerts.findForUpdate(event.alertId, q);
    if (!alert || alert.organizationId !== event.organizationId || alert.patientId !== event.patientId)
      return false;
    await this.history.insertEvent(
      {
        alertId: alert.id,
        organizationId: alert.organizationId,
        actorUserId: event.actorUserId,
        action: event.action,
        fromStatus: alert.status,
        toStatus: alert.status,
        detail: { visitId: event.visitId },
      },
      q,
    );
    return true;
  }
}
