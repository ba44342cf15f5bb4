import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor, RecurringJobProcessor, type JobPayload } from '@homeward/platform';
import { VISIT_JOBS, VisitJobs } from './visit.jobs';
import { VisitNoShowService } from './visit-no-show.service';

@Injectable()
export class VisitNoShowProcessor extends JobProcessor<typeof VISIT_JOBS, 'visits.no-show'> {
  readonly name = 'visits.no-show';

  constructor(private readonly noShow: VisitNoShowService) {
    super();
  }

  async process({ visitId, correlationId }: JobPayload<typeof VISIT_JOBS, 'visits.no-show'>): Promise<void> {
    await this.noShow.check(visitId, correlationId);
  }
}

/** The no-show sweep: a BullMQ schedule, so it runs once per interval across all worker replicas. */
@Injectable()
export class VisitNoShowSweepProcessor extends RecurringJobProcessor<
  typeof VISIT_JOBS,
  'visits.no-show-sweep'
> {
  readonly name = 'visits.no-show-sweep';

  constructor(
    private readonly noShow: VisitNoShowService,
    jobs: VisitJobs,
    config: AppConfig,
  ) {
    super(jobs, config.VISIT_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    await this.noShow.sweep();
  }
}
