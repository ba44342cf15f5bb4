import { BadRequestException, Injectable } from '@nestjs/common';
import { AuditService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import type { AlertStateCountRow } from '../alerting.rows';
import { AlertMetricsRepository } from '../alerts/alert-metrics.repository';

const WEEK_MS = 7 * 24 * 3600_000;

export interface AlertMetrics {
  from: string;
  to: string;
  total: number;
  counts: AlertStateCountRow[];
  /** Seconds from raising; null when no alert of the period got there. */
  timeToAcknowledge: { median: number | null; p90: number | null };
  timeToResolve: { median: number | null; p90: number | null };
  /** Alerts raised per patient of the organisation per week of the period. */
  alertsPerPatientPerWeek: number;
}

/** The figures a programme is judged on: how many alerts, how fast they are picked up and closed. */
@Injectable()
export class AlertMetricsService {
  constructor(
    private readonly metrics: AlertMetricsRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async forPeriod(principal: Principal, from: Date, to: Date): Promise<AlertMetrics> {
    if (to.getTime() <= from.getTime())
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_period',
        message: '`to` must be after `from`',
      });
    const scope = this.access.patientScope(principal);
    const [counts, times] = await Promise.all([
      this.metrics.countByState(scope, from, to),
      this.metrics.responseTimes(scope, from, to),
    ]);
    await this.audit.record(principal, 'alert.list', { resourceType: 'alert_metrics' });
    const weeks = (to.getTime() - from.getTime()) / WEEK_MS;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      total: times.alerts,
      counts,
      timeToAcknowledge: { median: times.acknowledgeP50, p90: times.acknowledgeP90 },
      timeToResolve: { median: times.resolveP50, p90: times.resolveP90 },
      alertsPerPatientPerWeek: times.patients === 0 ? 0 : round(times.alerts / times.patients / weeks),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
