import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { RecurringJobProcessor } from '@homeward/platform';
import { SessionRepository } from './session.repository';
import { SESSION_JOBS, SessionJobs } from './session.jobs';

/** Bounds each run's work; the next run takes the rest. */
const SWEEP_BATCH = 1000;

/**
 * Deletes sessions that ended more than SESSION_RETENTION_DAYS ago, with their refresh tokens:
 * every rotation adds a token row, kept while the session lives so a stolen one is recognised,
 * and past the session's end they only grow the table.
 */
@Injectable()
export class SessionsSweepProcessor extends RecurringJobProcessor<typeof SESSION_JOBS, 'sessions.sweep'> {
  readonly name = 'sessions.sweep';

  constructor(
    private readonly sessions: SessionRepository,
    jobs: SessionJobs,
    private readonly config: AppConfig,
  ) {
    super(jobs, config.SESSION_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    const endedBefore = new Date(Date.now() - this.config.SESSION_RETENTION_DAYS * 86_400_000);
    for (let deleted = SWEEP_BATCH; deleted === SWEEP_BATCH;) {
      deleted = await this.sessions.deleteEnded(endedBefore, SWEEP_BATCH);
    }
  }
}
