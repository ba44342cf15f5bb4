/** Thrown by `ConcurrencyLimiter.run` when every slot is busy and its wait queue is full. */
export class LimiterFullError extends Error {
  constructor(readonly limiter: string) {
    super(`${limiter}: every slot is busy and the wait queue is full`);
    this.name = 'LimiterFullError';
  }
}

/**
 * At most `concurrency` tasks at once, at most `maxQueued` waiting in arrival order; past that a
 * task is refused at once rather than queued without bound, so a flood costs its sender (OWASP
 * API Security Top 10 2023, API4: unrestricted resource consumption). The queue is a ring of
 * waiters read through a head index: `shift()` on a long array is O(n).
 */
export class ConcurrencyLimiter {
  private active = 0;
  private waiters: Array<(() => void) | undefined> = [];
  private head = 0;

  constructor(
    readonly name: string,
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`${name}: concurrency must be ≥ 1`);
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length - this.head;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.queued >= this.maxQueued) return Promise.reject(new LimiterFullError(this.name));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.head < this.waiters.length ? this.waiters[this.head] : undefined;
    if (!next) {
      this.active--;
      return;
    }
    this.waiters[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    // The slot passes straight to the next waiter: `active` stays as it is.
    next();
  }
}
