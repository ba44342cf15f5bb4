import { DeliveryStats, type DeliveryCounts, type DeliverySummary } from './delivery-stats';
import type { ResolvedDevice } from './devices-file';
import { buildFleet, type FleetOptions } from './fleet';
import { createLogger, type Logger } from './logger';

/**
 * The platform's default per-device budget (DEVICE_MAX_MESSAGES_PER_MINUTE): above it the embedded
 * broker holds a device's PUBACKs until its next minute and ingest rejects the excess as
 * `rate_limited`, so a load meant to measure throughput should spread over enough devices.
 */
export const PLATFORM_DEFAULT_MESSAGES_PER_MINUTE = 600;

/** Messages per minute each device publishes under a paced load. */
export function perDevicePerMinute(ratePerSecond: number, devices: number): number {
  return (ratePerSecond * 60) / devices;
}

/** How many messages should have been published `elapsedMs` into a run at `ratePerSecond`. */
export function messagesDueBy(elapsedMs: number, ratePerSecond: number): number {
  return Math.floor((Math.max(0, elapsedMs) * ratePerSecond) / 1000);
}

/**
 * Paces a total rate over many devices: each tick publishes what is due by now (so a late timer
 * catches up and the average holds), handing messages to devices in turn.
 */
export class LoadPacer {
  private sent = 0;
  private cursor = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly deviceCount: number,
  ) {}

  /** Device indexes to publish from now, in order. */
  take(elapsedMs: number): number[] {
    const due = messagesDueBy(elapsedMs, this.ratePerSecond) - this.sent;
    const picks: number[] = [];
    for (let i = 0; i < due; i++) {
      picks.push(this.cursor);
      this.cursor = (this.cursor + 1) % this.deviceCount;
    }
    this.sent += Math.max(0, due);
    return picks;
  }

  get total(): number {
    return this.sent;
  }
}

export interface LoadOptions extends Omit<
  FleetOptions,
  'intervalMs' | 'count' | 'startedAt' | 'logger' | 'stats'
> {
  devices: readonly ResolvedDevice[];
  /** Messages per second, all devices together. */
  ratePerSecond: number;
  durationSeconds: number;
  /** How long to wait for every device to connect before the clock starts (default 30 s). */
  connectTimeoutMs?: number;
  /** How long stopping devices wait for outstanding PUBACKs and receipts (default 10 s). */
  drainTimeoutMs?: number;
  logger?: Logger;
  /** Timer tick of the pacer (default 5 ms). */
  tickMs?: number;
  /** Ends the paced window early (SIGINT); the drain and the summary still happen. */
  signal?: AbortSignal;
  /**
   * Most unsettled messages one device may hold (default 200, and fewer with many devices, so the
   * whole fleet holds at most about 200,000: the generator's heap). A measurement due while a device
   * is at it is skipped and counted, so a platform slower than the asked rate clips the offered
   * load instead of growing the generator's memory without bound.
   */
  maxPendingPerDevice?: number;
  /** Called every `progressEveryMs` (default 10 s) with the counts so far. */
  onProgress?: (progress: DeliveryCounts & { published: number; elapsedMs: number }) => void;
  progressEveryMs?: number;
}

export interface LoadSummary extends DeliverySummary {
  mode: 'load';
  devices: number;
  connected: number;
  targetRate: number;
  /** Measurements taken during the paced window. */
  published: number;
  /** Measurements due but skipped because their device already held `maxPendingPerDevice`. */
  skipped: number;
  /** published / pacing seconds. */
  achievedRate: number;
  durationMs: number;
  /** Messages still without PUBACK (or receipt, when awaited) when the run ended. */
  unsettled: number;
  receiptsAwaited: boolean;
}

const DEFAULT_MAX_PENDING_PER_DEVICE = 200;
const MAX_PENDING_IN_FLEET = 200_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The benchmark's load: one MQTT connection per device (each with its own credentials, as the
 * broker binds client ids to them), `ratePerSecond` measurements in total for `durationSeconds`,
 * then a drain and a summary. Callable in-process by a benchmark script.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  if (options.devices.length === 0) throw new Error('load needs at least one device');
  if (!(options.ratePerSecond > 0)) throw new Error('load needs a positive rate');
  const logger = options.logger ?? createLogger({ minLevel: 'warn' });
  const perDevice = perDevicePerMinute(options.ratePerSecond, options.devices.length);
  if (perDevice > PLATFORM_DEFAULT_MESSAGES_PER_MINUTE) {
    logger.warn('each device publishes more than the platform allows by default', {
      perDevicePerMinute: Math.round(perDevice),
      defaultLimitPerMinute: PLATFORM_DEFAULT_MESSAGES_PER_MINUTE,
      hint: 'use more devices, or raise DEVICE_MAX_MESSAGES_PER_MINUTE on the platform',
    });
  }
  const stats = new DeliveryStats();
  const fleet = buildFleet(options.devices, { ...options, startedAt: new Date(), logger, stats });
  fleet.forEach((device) => device.start());

  const connectDeadline = Date.now() + (options.connectTimeoutMs ?? 30_000);
  while (fleet.some((d) => !d.isOnline) && Date.now() < connectDeadline) await sleep(50);
  const connected = fleet.filter((d) => d.isOnline).length;
  logger.info('load starting', { devices: fleet.length, connected, ratePerSecond: options.ratePerSecond });

  const pacer = new LoadPacer(options.ratePerSecond, fleet.length);
  const maxPending =
    options.maxPendingPerDevice ??
    Math.max(10, Math.min(DEFAULT_MAX_PENDING_PER_DEVICE, Math.floor(MAX_PENDING_IN_FLEET / fleet.length)));
  let skipped = 0;
  const started = performance.now();
  const durationMs = options.durationSeconds * 1000;
  const progress = options.onProgress
    ? setInterval(() => {
        options.onProgress?.({
          ...stats.counts(),
          published: pacer.total,
          elapsedMs: Math.round(performance.now() - started),
        });
      }, options.progressEveryMs ?? 10_000)
    : undefined;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      clearInterval(timer);
      options.signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - started, durationMs);
      for (const index of pacer.take(elapsed)) {
        const device = fleet[index];
        if (!device) continue;
        if (device.pending >= maxPending) skipped += 1;
        else device.measureNow();
      }
      if (elapsed >= durationMs) finish();
    }, options.tickMs ?? 5);
    if (options.signal?.aborted) finish();
    else options.signal?.addEventListener('abort', finish, { once: true });
  });
  clearInterval(progress);
  const pacedMs = performance.now() - started;

  const summaries = await Promise.all(fleet.map((d) => d.stop(options.drainTimeoutMs ?? 10_000)));
  const unsettled = summaries.reduce((n, s) => n + s.unacknowledged.length, 0);
  return {
    mode: 'load',
    ...stats.summary(),
    devices: fleet.length,
    connected,
    targetRate: options.ratePerSecond,
    published: pacer.total - skipped,
    skipped,
    achievedRate: Math.round(((pacer.total - skipped) / (pacedMs / 1000)) * 10) / 10,
    durationMs: Math.round(performance.now() - started),
    unsettled,
    receiptsAwaited: options.receiptTimeoutMs !== undefined,
  };
}
