import type { Logger } from 'pino';

export interface CommitQueueOptions<T> {
  batchSize: number;
  flushMs: number;
  /** Stores items durably; throwing keeps them at the head and retries with backoff. */
  commit: (items: T[]) => Promise<void>;
  /** Runs once the items are committed, in the order they were added. */
  onCommitted: (items: T[]) => void;
  /** When the item arrived (ms since the epoch), for the age of the oldest uncommitted item. */
  arrivedAt: (item: T) => number;
  logger: Logger;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5000;

/**
 * Items waiting to be committed in batches: a batch is flushed when it is full or `flushMs`
 * after its first item, one batch at a time, in arrival order. A failed commit is retried
 * with backoff and nothing behind it is committed first, so callers may acknowledge in order.
 */
export class CommitQueue<T> {
  private items: T[] = [];
  /** Taken from the head and being committed; still counted as held. */
  private inFlight: T[] = [];
  private flushTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private stopped = false;
  private retryDelayMs = FIRST_RETRY_DELAY_MS;
  private spaceWaiters: Array<{ limit: number; resolve: () => void }> = [];

  constructor(private readonly options: CommitQueueOptions<T>) {}

  /** Items added and not yet committed. */
  get size(): number {
    return this.items.length + this.inFlight.length;
  }

  /** Age of the oldest uncommitted item: a consumer that is stuck shows here first. */
  oldestAgeMs(now = Date.now()): number {
    const oldest = this.inFlight[0] ?? this.items[0];
    return oldest === undefined ? 0 : Math.max(0, now - this.options.arrivedAt(oldest));
  }

  add(item: T): void {
    this.items.push(item);
    this.schedule(this.items.length >= this.options.batchSize ? 0 : this.options.flushMs);
  }

  /** Resolves once fewer than `limit` items are held: lets a producer stop reading meanwhile. */
  async whenBelow(limit: number): Promise<void> {
    if (this.size < limit || this.stopped) return;
    await new Promise<void>((resolve) => this.spaceWaiters.push({ limit, resolve }));
  }

  /** Forgets waiting items (not the batch being committed) for which `predicate` holds. */
  drop(predicate: (item: T) => boolean): number {
    const before = this.items.length;
    this.items = this.items.filter((item) => !predicate(item));
    this.wakeWaiters();
    return before - this.items.length;
  }

  /** Commits what is held (one attempt), then stops; what is left is the caller's to redeliver. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushing;
    if (this.size > 0)
      await this.flushOnce().catch((error: unknown) =>
        this.options.logger.warn(
          { err: error, held: this.size },
          'Final commit at shutdown failed; the broker redelivers what was not acknowledged',
        ),
      );
    for (const waiter of this.spaceWaiters.splice(0)) waiter.resolve();
  }

  private schedule(delayMs: number): void {
    if (this.flushing || this.stopped) return;
    if (this.flushTimer && delayMs > 0) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = this.flushOnce()
        .then(() => {
          this.retryDelayMs = FIRST_RETRY_DELAY_MS;
        })
        .catch((error: unknown) => {
          this.options.logger.error(
            { err: error, retryInMs: this.retryDelayMs, held: this.size },
            'Commit failed; retrying, nothing acknowledged',
          );
          const delay = this.retryDelayMs;
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
          return new Promise<void>((resolve) => setTimeout(resolve, delay));
        })
        .finally(() => {
          this.flushing = undefined;
          if (this.size > 0) this.schedule(0);
        });
    }, delayMs);
  }

  private async flushOnce(): Promise<void> {
    if (this.inFlight.length === 0) {
      this.inFlight = this.items.slice(0, this.options.batchSize);
      this.items = this.items.slice(this.inFlight.length);
    }
    const batch = this.inFlight;
    if (batch.length === 0) return;
    await this.options.commit(batch);
    this.inFlight = [];
    this.options.onCommitted(batch);
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    if (this.spaceWaiters.length === 0) return;
    const size = this.size;
    const waiting = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const waiter of waiting) {
      if (size < waiter.limit) waiter.resolve();
      else this.spaceWaiters.push(waiter);
    }
  }
}
