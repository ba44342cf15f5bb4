import type { BeforeApplicationShutdown, OnApplicationShutdown } from '@nestjs/common';

type Stop = () => unknown;

/**
 * What the all-in-one process starts outside Nest (simulator, embedded broker, embedded
 * PostgreSQL), stopped from Nest's shutdown hooks: a signal then has one shutdown path, not two
 * racing to close the same pool.
 */
export class OutsideNestLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly intake: Stop[] = [];
  private readonly stores: Stop[] = [];

  /** Stopped before any module shuts down, last started first: whatever still brings work in. */
  stopFirst(stop: Stop): void {
    this.intake.push(stop);
  }

  /** Stopped after every module, the database pool included. */
  stopLast(stop: Stop): void {
    this.stores.push(stop);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const stop of [...this.intake].reverse()) await stop();
  }

  onApplicationShutdown(signal?: string): void {
    if (!signal || this.stores.length === 0) return;
    // Nest runs the root module's hooks before the global DatabaseModule's, so the pool is still
    // open here; once every module is down it raises the signal again, and the stores stop then.
    process.once(signal, () => {
      void this.stopStores().finally(() => process.exit(0));
    });
  }

  private async stopStores(): Promise<void> {
    for (const stop of [...this.stores].reverse()) await stop();
  }
}
