import { Injectable } from '@nestjs/common';
import { RejectedValuesService } from '@homeward/monitoring';
import { InjectLogger, alertsRaised, type Logger } from '@homeward/observability';
import { Database } from '@homeward/platform';
import { AlertPublisher } from '../alerts/alert-publisher';
import { mapAlert } from '../alerts/alert.mapper';
import { AlertEpisodeRepository } from '../alerts/alert-episode.repository';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { VITAL_LABELS } from '../rules/describe-rule';
import { DeviceNoticeRepository } from './device-notice.repository';

/** The rule id, kind and episode-key prefix of the notice an implausible value raises. */
export const IMPLAUSIBLE_NOTICE = 'device.implausible';

/**
 * Notices about a device rather than the patient: a value outside the plausibility limits is
 * refused (never stored as a reading) but never silent either. The patient's care team gets an
 * `info` alert, "implausible SpO2 12 % — check the device", once per device and local day.
 */
@Injectable()
export class DeviceNoticeService {
  constructor(
    private readonly db: Database,
    private readonly rejectedValues: RejectedValuesService,
    private readonly notices: DeviceNoticeRepository,
    private readonly episodes: AlertEpisodeRepository,
    private readonly publisher: AlertPublisher,
    private readonly escalation: AlertEscalationScheduler,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Raises the notice of an implausible-value rejection. Idempotent: the day's notice is claimed
   * in the same transaction as its alert (`device_notices`' key), so a retried or repeated job
   * raises nothing twice; while an earlier notice of the device is still active, it tells.
   */
  async raiseImplausible(rejectionId: string, correlationId: string): Promise<{ raised: boolean }> {
    const refused = await this.rejectedValues.implausible(rejectionId);
    if (!refused) return { raised: false };
    const row = await this.db.transaction(async (tx) => {
      const claimed = await this.notices.claim(
        {
          deviceId: refused.deviceId,
          patientId: refused.patientId,
          kind: IMPLAUSIBLE_NOTICE,
          at: refused.receivedAt,
          rejectionId,
        },
        tx,
      );
      if (!claimed) return undefined;
      const alert = await this.episodes.insertEpisode(
        {
          organizationId: claimed.organizationId,
          patientId: refused.patientId,
          ruleId: IMPLAUSIBLE_NOTICE,
          ruleVersion: 0,
          ruleKind: 'device',
          ruleDescription: 'Implausible value from a device',
          summary: `implausible ${VITAL_LABELS[refused.type]} ${refused.value} ${refused.unit} — check the device`,
          severity: 'info',
          triggerType: refused.type,
          triggerValue: refused.value,
          triggerUnit: refused.unit,
          triggerMeasuredAt: refused.receivedAt,
          triggerDeviceId: refused.deviceId,
          triggerMessageId: refused.messageId,
          batchId: null,
          correlationId,
          episodeKey: `${IMPLAUSIBLE_NOTICE}:${refused.deviceId}`,
          late: false,
        },
        tx,
      );
      if (alert) await this.notices.setAlert(refused.deviceId, IMPLAUSIBLE_NOTICE, rejectionId, alert.id, tx);
      return alert;
    });
    if (!row) return { raised: false };
    await this.escalation.afterChange([row]);
    alertsRaised.inc({ severity: row.severity });
    // Sockets are at-most-once, and clients replay from PostgreSQL.
    await this.publisher.alertCreated(mapAlert(row));
    this.logger.info(
      { alertId: row.id, patientId: row.patientId, deviceId: refused.deviceId, rejectionId, correlationId },
      'Alert raised: implausible value from a device',
    );
    return { raised: true };
  }
}
