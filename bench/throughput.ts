import type { Pool } from 'pg';
import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import { loadLogger } from './load-logger';
import { runLoad } from '../devices-simulator/src/load-driver';
import type { CostMeter, ProcessCost } from './cost';

/** Messages the whole fleet may have unacknowledged by the broker, for the throughput load. */
export const THROUGHPUT_PENDING_IN_FLEET = 20_000;

export interface ThroughputOptions {
  /** Messages per second the simulator is asked for, all devices together. */
  ratePerSecond: number;
  warmupSeconds: number;
  windowSeconds: number;
}

export interface ThroughputFigures {
  devices: number;
  connected: number;
  targetRate: number;
  /** What the simulator managed to publish: below the target, the load generator was the limit. */
  achievedPublishRate: number;
  windowSeconds: number;
  /** Committed in the measured window, by the database's own clock. */
  messagesPerSecond: number;
  readingsPerSecond: number;
  /** Ingest batches committed a second: each is one BullMQ evaluation job. */
  batchesPerSecond: number;
  /** Oldest batch not yet evaluated by the rules when the window closed (0: none). */
  evaluationLagSeconds: number;
  batchesEvaluated: number;
  batchesPending: number;
  acknowledgedMessages: number;
  acknowledgedReadings: number;
  storedMessages: number;
  storedReadings: number;
  /** Acknowledged but not stored; 0 is the only acceptable value. */
  missingReadings: number;
  unsettled: number;
  /** Measurements the simulated devices dropped from a full outbox: never published. */
  dropped: number;
  pubackP50Ms?: number;
  pubackP99Ms?: number;
  cost: ProcessCost[];
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

async function totals(pool: Pool): Promise<{ messages: number; readings: number }> {
  const { rows } = await pool.query<{ messages: string; readings: string }>(
    `SELECT (SELECT count(*) FROM device_messages) AS messages, (SELECT count(*) FROM readings) AS readings`,
  );
  return { messages: Number(rows[0].messages), readings: Number(rows[0].readings) };
}

/**
 * Waits (up to `timeoutMs`) until every committed batch has been evaluated, so that one
 * section's backlog does not count against the next; resolves with what is still pending.
 */
export async function settleEvaluation(pool: Pool, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ pending: string }>(
      'SELECT count(*) AS pending FROM ingest_batches WHERE evaluated_at IS NULL',
    );
    const pending = Number(rows[0].pending);
    if (pending === 0 || Date.now() >= deadline) return pending;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function clock(pool: Pool): Promise<Date> {
  return (await pool.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0].at;
}

/**
 * 1. Drive `devices` with the simulator's load mode (QoS 1, PUBACK-only). Mosquitto acknowledges
 *    a device on receipt; only ingest's own acknowledgements to the broker wait for the commit.
 * 2. Once warm, mark the window's start and end with the database's clock; afterwards count the
 *    messages (device_messages, the de-duplication ledger) and readings (ingest_batches) that
 *    committed between the marks, so the counting queries' own time does not skew the rate.
 * 3. At the window's end, the oldest unevaluated batch tells whether the rules keep up.
 * 4. After the drain, stored totals must grow by what the publishers had acknowledged: waited
 *    for (up to STORE_SETTLE_MS), since what the broker acknowledged last may still be on its way.
 */
/**
 * Stored totals catch up with what the broker acknowledged to publishers while they still grow:
 * the broker may hold a backlog of minutes when the load outran ingest. Readings count as lost
 * only once nothing more arrives for STORE_STALL_MS (or after STORE_SETTLE_MAX_MS in all).
 */
const STORE_STALL_MS = 15_000;
const STORE_SETTLE_MAX_MS = 10 * 60_000;

export async function measureThroughput(
  pool: Pool,
  devices: readonly ResolvedDevice[],
  options: ThroughputOptions,
  cost: CostMeter,
): Promise<ThroughputFigures> {
  const before = await totals(pool);
  let loadStartedAt: number | undefined;
  const marks: { from?: Date; to?: Date; lag?: { lag: number; pending: number; evaluated: number } } = {};
  const load = runLoad({
    logger: loadLogger,
    devices,
    seed: 'bench',
    ratePerSecond: options.ratePerSecond,
    // A little past the window, so its end is marked while the load is still paced.
    durationSeconds: options.warmupSeconds + options.windowSeconds + 2,
    drainTimeoutMs: 60_000,
    // Closed loop: a device with this many messages the broker has not acknowledged sends no
    // more. Open loop (200 each), 1,000 devices asked for 25,000 msg/s piled 200,000 messages
    // into Mosquitto, whose delivery to ingest then stalled for minutes (publish → commit p99
    // 90 s, nothing committed in the window): a figure of the broker's overload, not of the
    // platform's rate.
    maxPendingPerDevice: Math.max(1, Math.floor(THROUGHPUT_PENDING_IN_FLEET / devices.length)),
    connectTimeoutMs: 120_000,
    progressEveryMs: 250,
    onProgress: ({ elapsedMs }) => {
      loadStartedAt ??= Date.now() - elapsedMs;
    },
  });
  const window = (async () => {
    while (loadStartedAt === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    await sleepUntil(loadStartedAt + options.warmupSeconds * 1000);
    cost.begin();
    marks.from = await clock(pool);
    await sleepUntil(loadStartedAt + (options.warmupSeconds + options.windowSeconds) * 1000);
    marks.to = await clock(pool);
    const { rows } = await pool.query<{ lag: number | null; pending: string; evaluated: string }>(
      `SELECT extract(epoch FROM clock_timestamp() - min(created_at) FILTER (WHERE evaluated_at IS NULL))::float8 AS lag,
              count(*) FILTER (WHERE evaluated_at IS NULL) AS pending,
              count(*) FILTER (WHERE evaluated_at IS NOT NULL) AS evaluated
       FROM ingest_batches`,
    );
    marks.lag = {
      lag: rows[0].lag ?? 0,
      pending: Number(rows[0].pending),
      evaluated: Number(rows[0].evaluated),
    };
  })();
  const [summary] = await Promise.all([load, window]);
  const { from, to, lag } = marks;
  if (!from || !to || !lag) throw new Error('throughput window was not marked');
  const { rows } = await pool.query<{ messages: string; readings: string; batches: string; seconds: number }>(
    `SELECT (SELECT count(*) FROM device_messages WHERE received_at >= $1 AND received_at < $2) AS messages,
            (SELECT count(*) FROM ingest_batches WHERE created_at >= $1 AND created_at < $2) AS batches,
            (SELECT coalesce(sum(stored_count), 0) FROM ingest_batches WHERE created_at >= $1 AND created_at < $2) AS readings,
            extract(epoch FROM $2::timestamptz - $1::timestamptz)::float8 AS seconds`,
    [from, to],
  );
  const windowReadings = Number(rows[0].readings);
  const costs = cost.end(windowReadings);
  let after = await totals(pool);
  const settleBy = Date.now() + STORE_SETTLE_MAX_MS;
  let grewAt = Date.now();
  while (
    after.readings - before.readings < summary.ackedValues &&
    Date.now() - grewAt < STORE_STALL_MS &&
    Date.now() < settleBy
  ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const next = await totals(pool);
    if (next.readings > after.readings) grewAt = Date.now();
    after = next;
  }
  const storedReadings = after.readings - before.readings;
  return {
    devices: summary.devices,
    connected: summary.connected,
    targetRate: options.ratePerSecond,
    achievedPublishRate: summary.achievedRate,
    windowSeconds: rows[0].seconds,
    messagesPerSecond: Number(rows[0].messages) / rows[0].seconds,
    readingsPerSecond: windowReadings / rows[0].seconds,
    batchesPerSecond: Number(rows[0].batches) / rows[0].seconds,
    evaluationLagSeconds: lag.lag,
    batchesEvaluated: lag.evaluated,
    batchesPending: lag.pending,
    acknowledgedMessages: summary.acked,
    acknowledgedReadings: summary.ackedValues,
    storedMessages: after.messages - before.messages,
    storedReadings,
    missingReadings: Math.max(0, summary.ackedValues - storedReadings),
    unsettled: summary.unsettled,
    dropped: summary.dropped,
    pubackP50Ms: summary.latencyMs.puback.p50,
    pubackP99Ms: summary.latencyMs.puback.p99,
    cost: costs,
  };
}
