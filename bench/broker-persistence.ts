import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect, type IConnackPacket, type MqttClient } from 'mqtt';
import { startMosquitto, type TestBroker } from '@homeward/testing';
import { parseCpuSeconds, parseWriteBytes } from './proc-stats';
import type { BrokerCost, BrokerPersistenceFigures } from './broker-persistence-rows';
import { within } from './ceilings';

/** A set of Mosquitto persistence lines to compare (persistence_location is added). */
export interface PersistenceCandidate {
  name: string;
  lines: readonly string[];
}

/**
 * Mosquitto 2.0's main loop (src/loop.c) saves after `autosave_interval` changes when
 * `autosave_on_changes` is true (and then never on a timer), and every `autosave_interval`
 * seconds when it is false.
 */
export const PERSISTENCE_CANDIDATES: readonly PersistenceCandidate[] = [
  {
    name: 'every 1,000 changes',
    lines: ['persistence true', 'autosave_on_changes true', 'autosave_interval 1000'],
  },
  {
    name: 'every 10,000 changes',
    lines: ['persistence true', 'autosave_on_changes true', 'autosave_interval 10000'],
  },
  {
    name: 'every 10 s (deployed)',
    lines: ['persistence true', 'autosave_on_changes false', 'autosave_interval 10'],
  },
  { name: 'no persistence', lines: ['persistence false'] },
];

const SIZES = {
  quick: { steady: 20_000, backlog: 20_000 },
  full: { steady: 100_000, backlog: 300_000 },
};

const PUBLISHERS = 4;
const IN_FLIGHT = 500;
/** Steady state: publishers at most this far ahead of the subscriber, as in measureMqtt. */
const STEADY_WINDOW = 1_000;
const SLICES = 10;
/** After a restart, the subscriber has everything the broker kept once nothing new arrives for this long. */
const QUIET_MS = 3_000;

/**
 * For each candidate, a Mosquitto of its own (the deployed conf.d limits, these persistence
 * lines) and raw mqtt.js clients: (1) QoS 1 publish → a persistent-session subscriber keeping up;
 * (2) the subscriber away while publishers queue a backlog for it, then its drain; (3) the
 * broker's CPU seconds and bytes written to storage per 1,000 messages in each; (4) a backlog
 * queued again and the broker SIGKILLed: how much of it the subscriber still receives.
 */
export async function measureBrokerPersistence(
  options: { quick: boolean },
  candidates: readonly PersistenceCandidate[] = PERSISTENCE_CANDIDATES,
): Promise<BrokerPersistenceFigures[]> {
  const figures: BrokerPersistenceFigures[] = [];
  for (const candidate of candidates) figures.push(await measureCandidate(candidate, options.quick));
  return figures;
}

interface Counters {
  cpuSeconds: number;
  writtenBytes: number;
}

function counters(broker: TestBroker): Counters {
  const pid = broker.pid;
  if (pid === undefined) throw new Error('broker has no process id');
  return {
    cpuSeconds: parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8')),
    writtenBytes: parseWriteBytes(readFileSync(`/proc/${pid}/io`, 'utf8')),
  };
}

function costSince(broker: TestBroker, before: Counters, messages: number): BrokerCost {
  const after = counters(broker);
  return {
    cpuSecondsPer1000: ((after.cpuSeconds - before.cpuSeconds) * 1000) / messages,
    writtenBytesPer1000: ((after.writtenBytes - before.writtenBytes) * 1000) / messages,
  };
}

/** Messages of one phase, each counted once (QoS 1 may deliver twice). */
class Tally {
  private readonly seen: Uint8Array;
  received = 0;
  lastAt = performance.now();
  readonly done: Promise<void>;
  private complete!: () => void;

  constructor(readonly total: number) {
    this.seen = new Uint8Array(total);
    this.done = new Promise((resolve) => (this.complete = resolve));
  }

  mark(index: number): void {
    if (index >= this.total || this.seen[index] === 1) return;
    this.seen[index] = 1;
    this.lastAt = performance.now();
    if (++this.received === this.total) this.complete();
  }
}

/** Generous: the slowest candidate queues a few thousand messages a second on a busy machine. */
const timeoutMs = (messages: number) => Math.max(60_000, messages * 2);

async function open(
  url: string,
  clientId: string,
  clean: boolean,
  onMessage?: (topic: string, payload: Buffer) => void,
): Promise<{ client: MqttClient; sessionPresent: boolean }> {
  const client = connect(url, { clientId, clean, reconnectPeriod: 0, protocolVersion: 4 });
  // Attached before the CONNACK: a restored session's queue follows it at once.
  if (onMessage) client.on('message', onMessage);
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  // Nagle delays each small publish and the acknowledgements behind it (QoS 0 p99 2.3 → 35 ms measured).
  (client.stream as Socket).setNoDelay?.(true);
  return { client, sessionPresent: connack.sessionPresent };
}

/**
 * `total` QoS 1 publishes to `topic` from `PUBLISHERS` clients with `IN_FLIGHT` each, the payload
 * carrying its index; `mayPublish` holds a lane back (the steady state's window), `onAcked`
 * hears each PUBACK.
 */
async function publishAll(
  publishers: readonly MqttClient[],
  topic: string,
  total: number,
  mayPublish: () => Promise<void> | undefined,
  onAcked: (acked: number) => void,
): Promise<void> {
  // About a device message's size: an id and three readings.
  const body = randomBytes(300);
  let next = 0;
  let acked = 0;
  await Promise.all(
    publishers.map(async (publisher) => {
      const lane = async () => {
        while (next < total) {
          const wait = mayPublish();
          if (wait) {
            await wait;
            continue;
          }
          const payload = Buffer.from(body);
          payload.writeUInt32BE(next++, 0);
          await publisher.publishAsync(topic, payload, { qos: 1 });
          onAcked(++acked);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    }),
  );
}

async function measureCandidate(
  candidate: PersistenceCandidate,
  quick: boolean,
): Promise<BrokerPersistenceFigures> {
  const size = quick ? SIZES.quick : SIZES.full;
  const broker = await startMosquitto({ persistence: candidate.lines });
  const runId = randomBytes(4).toString('hex');
  const root = `homeward-bench/persistence/${runId}`;
  const subscriberId = `bench-persistence-sub-${runId}`;
  const tallies = new Map<string, Tally>();
  const onMessage = (topic: string, payload: Buffer) => tallies.get(topic)?.mark(payload.readUInt32BE(0));
  const clients = new Set<MqttClient>();
  const openPublishers = async () => {
    const opened: MqttClient[] = [];
    for (let p = 0; p < PUBLISHERS; p++) {
      const { client } = await open(broker.url, `bench-persistence-pub-${runId}-${p}`, true);
      clients.add(client);
      opened.push(client);
    }
    return opened;
  };
  const closeAll = async () => {
    await Promise.all([...clients].map((client) => client.endAsync(true)));
    clients.clear();
  };
  try {
    // 1. Steady state: a persistent session keeping up.
    let subscriber = (await open(broker.url, subscriberId, false, onMessage)).client;
    clients.add(subscriber);
    const [granted] = await subscriber.subscribeAsync(`${root}/#`, { qos: 1 });
    if (granted.qos !== 1) throw new Error(`subscription refused (${granted.qos})`);
    const publishers = await openPublishers();
    const steadyTopic = `${root}/steady`;
    const steady = new Tally(size.steady);
    tallies.set(steadyTopic, steady);
    let published = 0;
    let room: Promise<void> | undefined;
    let wake: (() => void) | undefined;
    const unblock = () => {
      if (wake && published - steady.received < STEADY_WINDOW / 2) {
        wake();
        room = wake = undefined;
      }
    };
    subscriber.on('message', unblock);
    let before = counters(broker);
    let started = performance.now();
    await publishAll(
      publishers,
      steadyTopic,
      size.steady,
      () => {
        if (published - steady.received < STEADY_WINDOW) {
          published++;
          return undefined;
        }
        return (room ??= new Promise((resolve) => (wake = resolve)));
      },
      () => undefined,
    );
    await within(
      steady.done,
      timeoutMs(size.steady),
      () => `steady: ${steady.received} of ${size.steady} arrived`,
    );
    const steadySeconds = (performance.now() - started) / 1000;
    const steadyCost = costSince(broker, before, size.steady);
    subscriber.off('message', unblock);

    // 2. Backlog: the subscriber away (its session kept), publishers queue for it, then it drains.
    await subscriber.endAsync();
    clients.delete(subscriber);
    const backlogTopic = `${root}/backlog`;
    const backlog = new Tally(size.backlog);
    tallies.set(backlogTopic, backlog);
    const sliceSize = size.backlog / SLICES;
    const sliceEnds: number[] = [];
    before = counters(broker);
    started = performance.now();
    await publishAll(
      publishers,
      backlogTopic,
      size.backlog,
      () => undefined,
      (acked) => {
        if (acked % sliceSize === 0) sliceEnds.push(performance.now());
      },
    );
    const intakeSeconds = (performance.now() - started) / 1000;
    const intakeCost = costSince(broker, before, size.backlog);
    const intakeSlicesPerSecond = sliceEnds.map(
      (end, i) => sliceSize / ((end - (i === 0 ? started : sliceEnds[i - 1])) / 1000),
    );
    before = counters(broker);
    started = performance.now();
    subscriber = (await open(broker.url, subscriberId, false, onMessage)).client;
    clients.add(subscriber);
    await within(
      backlog.done,
      timeoutMs(size.backlog),
      () => `drain: ${backlog.received} of ${size.backlog}`,
    );
    const drainSeconds = (performance.now() - started) / 1000;
    const drainCost = costSince(broker, before, size.backlog);

    // 3. A backlog again, acknowledged to the publishers, then SIGKILL and a restart.
    await subscriber.endAsync();
    clients.delete(subscriber);
    // A broker that has run for a while has saved the session itself (a run this short may not
    // have reached `autosave_interval` seconds or changes yet): SIGUSR1 saves now, leaving the
    // autosave's own count or timer where it was.
    if (broker.pid !== undefined) process.kill(broker.pid, 'SIGUSR1');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const crashTopic = `${root}/crash`;
    await publishAll(
      publishers,
      crashTopic,
      size.backlog,
      () => undefined,
      () => undefined,
    );
    await closeAll();
    await broker.restart('SIGKILL');
    const crash = new Tally(size.backlog);
    tallies.set(crashTopic, crash);
    const reopened = await open(broker.url, subscriberId, false, onMessage);
    clients.add(reopened.client);
    crash.lastAt = performance.now();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (crash.received === crash.total || performance.now() - crash.lastAt > QUIET_MS) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    });

    return {
      candidate: candidate.name,
      lines: candidate.lines,
      steady: { messages: size.steady, messagesPerSecond: size.steady / steadySeconds, cost: steadyCost },
      backlog: {
        messages: size.backlog,
        intakePerSecond: size.backlog / intakeSeconds,
        intakeSlicesPerSecond,
        intakeCost,
        drainPerSecond: size.backlog / drainSeconds,
        drainCost,
      },
      crash: { queued: size.backlog, received: crash.received, sessionPresent: reopened.sessionPresent },
    };
  } finally {
    await closeAll();
    await broker.stop();
  }
}
