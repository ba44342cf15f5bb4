import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { OrganizationService } from '@homeward/identity';
import { InjectLogger, type Logger } from '@homeward/observability';
import { AlertingJobs } from '../alerting.jobs';

/** The schedule of one organisation's missed-reading check (BullMQ ids may not contain ':'). */
export function missedCheckSchedulerId(organizationId: string): string {
  return `missed-check-${organizationId}`;
}

/**
 * Keeps one `alerts.missed-check` schedule per organisation. BullMQ keeps one scheduler per id,
 * so every worker replica may reconcile at once; a schedule removed by a replica that had not
 * yet seen a new organisation comes back at the next reconcile.
 */
@Injectable()
export class MissedScheduleService {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly jobs: AlertingJobs,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Adds the schedules of organisations that have none (or another interval) and removes those
   * of organisations that no longer exist. Existing schedules are left alone: upserting them
   * again would only churn Redis.
   */
  async reconcile(): Promise<{ added: number; removed: number }> {
    const everyMs = this.config.MISSED_CHECK_EVERY_MS;
    const organizationIds = await this.organizations.ids();
    const current = new Map(
      (await this.jobs.schedules('alerts.missed-check')).map((schedule) => [schedule.id, schedule.everyMs]),
    );
    let added = 0;
    for (const organizationId of organizationIds) {
      const id = missedCheckSchedulerId(organizationId);
      if (current.get(id) === everyMs) continue;
      await this.jobs.schedule('alerts.missed-check', everyMs, { organizationId }, id);
      added += 1;
    }
    const wanted = new Set(organizationIds.map(missedCheckSchedulerId));
    let removed = 0;
    for (const id of current.keys()) {
      if (wanted.has(id)) continue;
      if (await this.jobs.unschedule('alerts.missed-check', id)) removed += 1;
    }
    if (added > 0 || removed > 0)
      this.logger.info({ added, removed, everyMs }, 'Missed-reading check schedules reconciled');
    return { added, removed };
  }
}
