import { BadRequestException, Injectable } from '@nestjs/common';
import type { Severity, AlertStatus } from '@homeward/contracts';
import { AccessPolicy, type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import { AlertOccurrenceRepository } from './alert-occurrence.repository';

const DAY_MS = 24 * 3600_000;
/** The longest window one request reads: a chart's widest range with room to spare. */
export const ALERT_READINGS_MAX_DAYS = 92;
export const ALERT_READINGS_LIMIT = 5000;

export interface PatientAlertReading {
  alertId: string;
  alertStatus: AlertStatus;
  ruleId: string;
  ruleVersion: number;
  severity: Severity;
  deviceId: string;
  messageId: string;
  type: string;
  measuredAt: Date;
  value: number;
  unit: string;
}

/** A patient's breaching readings over a window, each with its alert: what a chart marks. */
@Injectable()
export class AlertReadingsService {
  constructor(
    private readonly patients: PatientService,
    private readonly occurrences: AlertOccurrenceRepository,
    private readonly access: AccessPolicy,
  ) {}

  /** `from` defaults to 30 days before `to`, `to` to now. 404 outside the caller's scope; audited as `alert.list`. */
  async forPatient(
    principal: Principal,
    patientId: string,
    window: { from?: Date; to?: Date },
  ): Promise<PatientAlertReading[]> {
    const to = window.to ?? new Date();
    const from = window.from ?? new Date(to.getTime() - 30 * DAY_MS);
    if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > ALERT_READINGS_MAX_DAYS * DAY_MS)
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_period',
        message: `\`to\` must be after \`from\`, at most ${ALERT_READINGS_MAX_DAYS} days later`,
      });
    await this.patients.get(principal, patientId, 'alert.list');
    return this.occurrences.listOccurrencesForPatient(
      this.access.patientScope(principal),
      patientId,
      from,
      to,
      ALERT_READINGS_LIMIT,
    );
  }
}
