import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** The limiter's answer for one message. */
export interface PublishAdmission {
  admitted: boolean;
  /** When refused: how long until the publisher's window opens again. */
  retryAfterMs: number;
  /** When refused: the first refusal in this window (worth recording; the rest are counted only). */
  firstRefusal: boolean;
}

const WINDOW_SECONDS = 60;
const ADMITTED: PublishAdmission = { admitted: true, retryAfterMs: 0, firstRefusal: false };

/**
 * Per-publisher message budget: at most `perMinute` messages in each fixed one-minute window,
 * kept in this process (rate-limiter-flexible's in-memory limiter). Every message of a device
 * reaches the same ingest consumer or embedded broker only while it stays connected to it, so
 * the limit is per instance: with N ingest consumers sharing a subscription a device gets at most
 * N times the budget, which still bounds a device in a loop. 0 disables the limit.
 */
export class PublishRateLimiter {
  private readonly limiter?: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    if (perMinute > 0) this.limiter = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS });
  }

  get limited(): boolean {
    return this.limiter !== undefined;
  }

  /**
   * Counts `weight` messages from `key` (a hub batch: the device messages it holds, at most a
   * whole budget so that one can still pass) and says whether they fit the budget.
   */
  async take(key: string, weight = 1): Promise<PublishAdmission> {
    if (!this.limiter) return ADMITTED;
    const points = Math.max(1, Math.min(weight, this.perMinute));
    try {
      await this.limiter.consume(key, points);
      return ADMITTED;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return {
        admitted: false,
        retryAfterMs: Math.max(1, refusal.msBeforeNext),
        // The refusal that crossed the budget: before it, the window still had room.
        firstRefusal: refusal.consumedPoints - points <= this.perMinute,
      };
    }
  }

  /**
   * Resolves once a message from `key` fits the budget, waiting for the next window as often as
   * needed: for a broker that can hold back the publisher's acknowledgement instead of refusing.
   */
  async admitted(key: string, weight = 1): Promise<void> {
    for (;;) {
      const admission = await this.take(key, weight);
      if (admission.admitted) return;
      // Unreferenced: a publisher left waiting must not keep a stopping process alive.
      await new Promise((resolve) => setTimeout(resolve, admission.retryAfterMs).unref());
    }
  }
}
