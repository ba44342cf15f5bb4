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
  /**
   * How much work an item is (a hub batch: the device messages it holds); 1 when not given.
   * Batches and `whenBelow` count weight, so one large item cannot make a batch or the held
   * total larger than they look. Read once, when the item is added.
   */
  weightOf?: (item: T) => number;
  /**
   * An item that should not wait for `flushMs` (a reading that may raise a critical alert): it
   * starts a batch at once, or joins the next one as soon as the batch being committed is done.
   * Read once, when the item is added.
   */
  isUrgent?: (item: T) => boolean;
  /**
   * Whose item it is (a device). Given, a batch takes items in turns, one per key in the order
   * each key first arrived, rather than the head of the queue: one device's backlog then delays
   * another's next message by at most one batch, not by all of its backlog. A key's own items
   * stay in arrival order. Read once, when the item is added.
   */
  fairKeyOf?: (item: T) => string;
  logger: Logger;
}

interface Entry<T> {
  item: T;
  weight: number;
  key?: string;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5000;

/**
 * Items waiting to be committed in batches: a batch is flushed when it is full or `flushMs`
 * after its first item, one batch at a time, in arrival order (in turns per key with
 * `fairKeyOf`). A failed commit is retried
 * with backoff and nothing behind it is committed first, so callers may acknowledge in order.
 */
export class CommitQueue<T> {
  private items: Array<Entry<T>> = [];
  /** Taken from the head and being committed; still counted as held. */
  private inFlight: Array<Entry<T>> = [];
  private waitingWeight = 0;
  private inFlightWeight = 0;
  private flushTimer?: NodeJS.Timeout;
  /** The pending timer is a flush at once, not after flushMs. */
  private flushNow = false;
  private flushing?: Promise<void>;
  private stopped = false;
  private retryDelayMs = FIRST_RETRY_DELAY_MS;
  private spaceWaiters: Array<{ limit: number; resolve: () => void }> = [];

  constructor(private readonly options: CommitQueueOptions<T>) {}

  /** Items added and not yet committed. */
  get size(): number {
    return this.items.length + this.inFlight.length;
  }

  /** The weight of the items added and not yet committed (their number, without `weightOf`). */
  get weight(): number {
    return this.waitingWeight + this.inFlightWeight;
  }

  /** Age of the oldest uncommitted item: a consumer that is stuck shows here first. */
  oldestAgeMs(now = Date.now()): number {
    // With fair batches the oldest item may still wait behind a younger batch in flight.
    const heads = [this.inFlight[0], this.items[0]].filter((entry) => entry !== undefined);
    if (heads.length === 0) return 0;
    return Math.max(0, now - Math.min(...heads.map((entry) => this.options.arrivedAt(entry.item))));
  }

  add(item: T): void {
    const weight = this.options.weightOf?.(item) ?? 1;
    this.items.push({ item, weight, key: this.options.fairKeyOf?.(item) });
    this.waitingWeight += weight;
    const now = this.waitingWeight >= this.options.batchSize || this.options.isUrgent?.(item) === true;
    this.schedule(now ? 0 : this.options.flushMs);
  }

  /** Resolves once less than `limit` weight is held: lets a producer stop reading meanwhile. */
  async whenBelow(limit: number): Promise<void> {
    if (this.weight < limit || this.stopped) return;
    await new Promise<void>((resolve) => this.spaceWaiters.push({ limit, resolve }));
  }

  /** Forgets waiting items (not the batch being committed) for which `predicate` holds. */
  drop(predicate: (item: T) => boolean): number {
    const before = this.items.length;
    this.items = this.items.filter((entry) => !predicate(entry.item));
    this.waitingWeight = this.items.reduce((total, entry) => total + entry.weight, 0);
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
    if (this.flushTimer) {
      // A timer that already fires at once is kept: re-arming it on every add (a full batch, a
      // stream of urgent items) would postpone the flush for as long as items keep coming.
      if (delayMs > 0 || this.flushNow) return;
      clearTimeout(this.flushTimer);
    }
    this.flushNow = delayMs === 0;
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
      const { batch, rest } = this.options.fairKeyOf ? this.takeInTurns() : this.takeHead();
      const weight = batch.reduce((total, entry) => total + entry.weight, 0);
      this.inFlight = batch;
      this.items = rest;
      this.inFlightWeight = weight;
      this.waitingWeight -= weight;
    }
    const batch = this.inFlight.map((entry) => entry.item);
    if (batch.length === 0) return;
    await this.options.commit(batch);
    this.inFlight = [];
    this.inFlightWeight = 0;
    this.options.onCommitted(batch);
    this.wakeWaiters();
  }

  /** From the head, up to batchSize in weight; an item heavier than that is a batch alone. */
  private takeHead(): { batch: Array<Entry<T>>; rest: Array<Entry<T>> } {
    let taken = 0;
    let weight = 0;
    while (
      taken < this.items.length &&
      (taken === 0 || weight + this.items[taken].weight <= this.options.batchSize)
    )
      weight += this.items[taken++].weight;
    return { batch: this.items.slice(0, taken), rest: this.items.slice(taken) };
  }

  /**
   * Up to batchSize in weight, one item per key per round (keys in order of their oldest
   * item), skipping a key whose next item no longer fits; the batch keeps arrival order.
   */
  private takeInTurns(): { batch: Array<Entry<T>>; rest: Array<Entry<T>> } {
    const lanes = new Map<string | undefined, number[]>();
    this.items.forEach((entry, index) => {
      const lane = lanes.get(entry.key);
      if (lane) lane.push(index);
      else lanes.set(entry.key, [index]);
    });
    const queues = [...lanes.values()];
    const heads = queues.map(() => 0);
    const taken = new Set<number>();
    let weight = 0;
    for (let progress = true; progress;) {
      progress = false;
      queues.forEach((lane, l) => {
        if (heads[l] >= lane.length) return;
        const next = this.items[lane[heads[l]]];
        if (taken.size > 0 && weight + next.weight > this.options.batchSize) return;
        taken.add(lane[heads[l]++]);
        weight += next.weight;
        progress = true;
      });
    }
    return {
      batch: this.items.filter((_, index) => taken.has(index)),
      rest: this.items.filter((_, index) => !taken.has(index)),
    };
  }

  private wakeWaiters(): void {
    if (this.spaceWaiters.length === 0) return;
    const size = this.weight;
    const waiting = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const waiter of waiting) {
      if (size < waiter.limit) waiter.resolve();
      else this.spaceWaiters.push(waiter);
    }
  }
}
