import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { TooManyRequestsError } from '../http/errors';
import { ConcurrencyLimiter, LimiterFullError } from './concurrency-limiter';

/** The caller already runs its share of expensive work, or the process runs all it may. */
export class ExpensiveWorkBusyError extends TooManyRequestsError {
  constructor(what: string, reason: 'per_user' | 'global') {
    super(
      'busy',
      reason === 'per_user'
        ? `You already have ${what} running; try again when it finishes`
        : `Too much ${what} is running; try again in a moment`,
      2,
    );
  }
}

/**
 * Work that holds a database connection for long (rule backtests over 90 days, alert
 * replays): at most EXPENSIVE_WORK_PER_USER at once per user, refused past it, and at most
 * EXPENSIVE_WORK_MAX at once in the process (a third of the pool by default) with a short
 * queue, so the rest of the pool stays for the alert queue and sign-in. Twenty parallel 90-day
 * previews by one clinician used to exhaust the pool: ten answered 500 and another
 * organisation's alert queue took 14 s.
 */
@Injectable()
export class ExpensiveWork {
  private readonly global: ConcurrencyLimiter;
  private readonly perUser = new Map<string, number>();
  private readonly turns = new Map<string, ConcurrencyLimiter>();

  constructor(private readonly config: AppConfig) {
    const max = config.EXPENSIVE_WORK_MAX ?? Math.max(1, Math.floor(config.DATABASE_POOL_MAX / 3));
    this.global = new ConcurrencyLimiter('expensive work', max, config.EXPENSIVE_WORK_QUEUE);
  }

  /**
   * Runs `task` after the user's earlier turns (one at a time per user, in order; what waits is
   * bounded by the caller, as sockets per user bound replays), then in a process slot: throws
   * ExpensiveWorkBusyError when every slot and the queue are taken.
   */
  async runInTurn<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const turns = this.turns.get(userId) ?? new ConcurrencyLimiter('turns', 1, Number.MAX_SAFE_INTEGER);
    this.turns.set(userId, turns);
    try {
      return await turns.run(() => this.global.run(task));
    } catch (error) {
      if (error instanceof LimiterFullError) throw new ExpensiveWorkBusyError('replay', 'global');
      throw error;
    } finally {
      if (turns.running === 0 && turns.queued === 0) this.turns.delete(userId);
    }
  }

  /** Runs `task` for `userId`, or throws ExpensiveWorkBusyError (429) at once. */
  async run<T>(userId: string, what: string, task: () => Promise<T>): Promise<T> {
    const running = this.perUser.get(userId) ?? 0;
    if (running >= this.config.EXPENSIVE_WORK_PER_USER) throw new ExpensiveWorkBusyError(what, 'per_user');
    this.perUser.set(userId, running + 1);
    try {
      return await this.global.run(task);
    } catch (error) {
      if (error instanceof LimiterFullError) throw new ExpensiveWorkBusyError(what, 'global');
      throw error;
    } finally {
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    }
  }
}
