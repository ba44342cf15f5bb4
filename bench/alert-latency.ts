import { Socket as NetSocket } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connect, type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { ALERTS_NAMESPACE, deviceClientId, readingsTopic, type AlertDto } from '@homeward/contracts';
import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import { runBackgroundLoad } from './load-logger';
import { latencyFigures, type LatencyFigures } from './stats';

export interface AlertLatencyOptions {
  backgroundRate: number;
  /** Alert-raising measurements, one per probe device (each its own patient: one alert each). */
  probes: number;
  probeIntervalMs: number;
  warmupSeconds: number;
}

export interface AlertLatencyFigures extends LatencyFigures {
  backgroundRate: number;
  achievedBackgroundRate: number;
  probesSent: number;
  /** Probes whose alert.created never arrived within 10 s of the last probe. */
  probesWithoutAlert: number;
}

/** A crisis blood pressure: the default rule raises a critical alert, pushed at once. */
export function crisisMessage(messageId: string, measuredAt: Date): string {
  return JSON.stringify({
    messageId,
    measuredAt: measuredAt.toISOString(),
    readings: [
      { type: 'blood_pressure_systolic', value: 186, unit: 'mm[Hg]' },
      { type: 'blood_pressure_diastolic', value: 124, unit: 'mm[Hg]' },
      { type: 'heart_rate', value: 71, unit: '/min' },
    ],
  });
}

async function connectProbe(device: ResolvedDevice): Promise<MqttClient> {
  const client = connect(device.mqttUrl, {
    clientId: deviceClientId(device.id),
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  // Nagle would add tens of milliseconds to a lone publish (QoS 0 p99 2.3 → 35 ms measured).
  if (client.stream instanceof NetSocket) client.stream.setNoDelay(true);
  return client;
}

export async function openAlertSocket(apiUrl: string, token: string): Promise<Socket> {
  const socket = io(`${apiUrl}${ALERTS_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** What the probe thread is given: the probe devices, where to listen, and the pacing. */
export interface ProbeThreadInput {
  probeDevices: ResolvedDevice[];
  apiUrl: string;
  token: string;
  probeIntervalMs: number;
  warmupSeconds: number;
}

/** What it gives back once every probe's alert arrived or 10 s passed after the last one. */
export interface ProbeThreadOutput {
  latencies: number[];
  probesSent: number;
  probesWithoutAlert: number;
}

/**
 * The probes and the coordinator's socket, on an event loop of their own (the probe thread,
 * started once the load runs): each probe is a crisis reading from its own patient's cuff (a
 * patient's later crises join the alert already open, and are not pushed as new); the clock
 * starts just before the QoS 1 publish and stops when the socket hands over the alert naming
 * the probe's messageId.
 */
export async function runProbes(input: ProbeThreadInput): Promise<ProbeThreadOutput> {
  const alerts = await openAlertSocket(input.apiUrl, input.token);
  const probes = await Promise.all(input.probeDevices.map(connectProbe));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  alerts.on('alert.created', (alert: AlertDto) => {
    const messageId = alert.trigger?.messageId;
    const started = messageId ? sentAt.get(messageId) : undefined;
    if (!messageId || started === undefined) return;
    latencies.push(performance.now() - started);
    sentAt.delete(messageId);
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, input.warmupSeconds * 1000));
    const run = Date.now().toString(36);
    for (let i = 0; i < probes.length; i++) {
      const messageId = `probe-${run}-${i}`;
      const payload = crisisMessage(messageId, new Date());
      sentAt.set(messageId, performance.now());
      probes[i].publish(readingsTopic(input.probeDevices[i].id), payload, { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, input.probeIntervalMs));
    }
    const deadline = Date.now() + 10_000;
    while (sentAt.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    alerts.disconnect();
    await Promise.all(probes.map((client) => client.endAsync()));
  }
  return { latencies, probesSent: probes.length, probesWithoutAlert: sentAt.size };
}

/**
 * Device publish → `alert.created` on a coordinator's socket, while the simulator's load mode
 * keeps `backgroundRate` ordinary messages a second flowing through the same broker and ingest.
 * The probes and the socket run in a worker thread: on the load generator's event loop, its
 * bursts would delay both the publish and the socket's delivery and be counted as the
 * platform's latency. A device and a console are not queued behind a thousand other devices.
 */
export async function measureAlertLatency(
  background: readonly ResolvedDevice[],
  probeDevices: readonly ResolvedDevice[],
  socket: { apiUrl: string; token: string },
  options: AlertLatencyOptions,
): Promise<AlertLatencyFigures> {
  const stop = new AbortController();
  let probing: Promise<ProbeThreadOutput> | undefined;
  const startProbes = () => {
    const input: ProbeThreadInput = {
      probeDevices: probeDevices.slice(0, options.probes),
      apiUrl: socket.apiUrl,
      token: socket.token,
      probeIntervalMs: options.probeIntervalMs,
      warmupSeconds: options.warmupSeconds,
    };
    const thread = new Worker(join(__dirname, 'alert-probe-thread.js'), { workerData: input });
    probing = new Promise<ProbeThreadOutput>((resolve, reject) => {
      thread.once('message', (output: ProbeThreadOutput) => {
        resolve(output);
        void thread.terminate();
      });
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the probe thread exited (${code}) without figures`)));
    }).finally(() => stop.abort());
    // An unhandled rejection would end the run before runLoad returns; it is awaited below.
    probing.catch(() => undefined);
  };
  const load = await runBackgroundLoad(background, {
    seed: 'bench-background',
    ratePerSecond: options.backgroundRate,
    signal: stop.signal,
    // The load's clock starts once every background device is connected: the probes then.
    onStarted: () => {
      if (!probing) startProbes();
    },
  });
  if (!probing) throw new Error('the load ended before it started');
  const probed = await probing;
  return {
    ...latencyFigures(probed.latencies),
    backgroundRate: options.backgroundRate,
    achievedBackgroundRate: load.achievedRate,
    probesSent: probed.probesSent,
    probesWithoutAlert: probed.probesWithoutAlert,
  };
}
