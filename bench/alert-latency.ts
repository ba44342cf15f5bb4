import { Socket as NetSocket } from 'node:net';
import { connect, type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { ALERTS_NAMESPACE, deviceClientId, readingsTopic, type AlertDto } from '@homeward/contracts';
import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import { loadLogger } from './load-logger';
import { runLoad, type LoadSummary } from '../devices-simulator/src/load-driver';
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
  // Nagle would add tens of milliseconds to a lone publish (trap 17).
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

/**
 * Device publish → `alert.created` on a coordinator's socket, while the simulator's load mode
 * keeps `backgroundRate` ordinary messages a second flowing through the same broker and ingest.
 * Each probe is a crisis reading from its own patient's cuff (a patient's later crises join the
 * alert already open, and are not pushed as new); the clock starts just before the QoS 1 publish
 * and stops when the socket hands over the alert naming the probe's messageId.
 */
export async function measureAlertLatency(
  background: readonly ResolvedDevice[],
  probeDevices: readonly ResolvedDevice[],
  socket: { apiUrl: string; token: string },
  options: AlertLatencyOptions,
): Promise<AlertLatencyFigures> {
  const alerts = await openAlertSocket(socket.apiUrl, socket.token);
  const probes = await Promise.all(probeDevices.slice(0, options.probes).map(connectProbe));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  alerts.on('alert.created', (alert: AlertDto) => {
    const messageId = alert.trigger?.messageId;
    const started = messageId ? sentAt.get(messageId) : undefined;
    if (!messageId || started === undefined) return;
    latencies.push(performance.now() - started);
    sentAt.delete(messageId);
  });
  const run = `${Date.now().toString(36)}`;
  let loadStarted = false;
  const probing = async (): Promise<void> => {
    // The load's clock starts once every background device is connected.
    while (!loadStarted) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
    for (let i = 0; i < probes.length; i++) {
      const messageId = `probe-${run}-${i}`;
      const payload = crisisMessage(messageId, new Date());
      sentAt.set(messageId, performance.now());
      probes[i].publish(readingsTopic(probeDevices[i].id), payload, { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, options.probeIntervalMs));
    }
    const deadline = Date.now() + 10_000;
    while (sentAt.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const stop = new AbortController();
  const probed = probing().finally(() => stop.abort());
  let load: LoadSummary | undefined;
  try {
    [load] = await Promise.all([
      runLoad({
        logger: loadLogger,
        devices: background,
        seed: 'bench-background',
        ratePerSecond: options.backgroundRate,
        durationSeconds: 3600,
        signal: stop.signal,
        connectTimeoutMs: 120_000,
        progressEveryMs: 250,
        onProgress: () => {
          loadStarted = true;
        },
      }),
      probed,
    ]);
  } finally {
    alerts.disconnect();
    await Promise.all(probes.map((client) => client.endAsync()));
  }
  return {
    ...latencyFigures(latencies),
    backgroundRate: options.backgroundRate,
    achievedBackgroundRate: load.achievedRate,
    probesSent: probes.length,
    probesWithoutAlert: sentAt.size,
  };
}
