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

  /** Counts one message from `key` and says whether it fits the budget. */
  async take(key: string): Promise<PublishAdmission> {
    if (!this.limiter) return ADMITTED;
    try {
      await this.limiter.consume(key);
      return ADMITTED;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return {
        admitted: false,
        retryAfterMs: Math.max(1, refusal.msBeforeNext),
        firstRefusal: refusal.consumedPoints === this.perMinute + 1,
      };
    }
  }

  /**
   * Resolves once a message from `key` fits the budget, waiting for the next window as often as
   * needed: for a broker that can hold back the publisher's acknowledgement instead of refusing.
   */
  async admitted(key: string): Promise<void> {
    for (;;) {
      const admission = await this.take(key);
      if (admission.admitted) return;
      // Unreferenced: a publisher left waiting must not keep a stopping process alive.
      await new Promise((resolve) => setTimeout(resolve, admission.retryAfterMs).unref());
    }
  }
}
