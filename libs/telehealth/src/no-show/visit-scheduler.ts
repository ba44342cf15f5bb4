import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { VisitRow } from '../telehealth.rows';
import { noShowDeadline } from '../visits/visit-status';
import { VisitJobs, noShowJobId } from './visit.jobs';

/** Arms a visit's no-show check at its deadline, after the change that set the deadline committed. */
@Injectable()
export class VisitScheduler {
  constructor(
    private readonly jobs: VisitJobs,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Never fails the caller: a lost job is what `visits.no-show-sweep` is for. */
  async scheduleNoShow(visit: VisitRow, correlationId: string | undefined): Promise<void> {
    if (visit.status !== 'scheduled') return;
    const deadline = noShowDeadline(visit, this.config.VISIT_NO_SHOW_MINUTES);
    try {
      await this.jobs.enqueue(
        'visits.no-show',
        { visitId: visit.id, correlationId: correlationId ?? randomUUID() },
        noShowJobId(visit.id, deadline),
        deadline.getTime() - Date.now(),
      );
    } catch (error) {
      this.logger.warn(
        { err: error, visitId: visit.id },
        'Could not enqueue the no-show check; the sweep will run it',
      );
    }
  }
}
