import type { Socket } from 'socket.io-client';
import type { ApiClient } from '@homeward/testing';
import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import { openAlertSocket } from './alert-latency';
import { runBackgroundLoad } from './load-logger';
import { latencyFigures, type LatencyFigures } from './stats';

export interface ConsoleLoadOptions {
  sockets: number;
  backgroundRate: number;
  windowSeconds: number;
}

export interface ConsoleLoadFigures {
  socketsConnected: number;
  /** Distinct users (token subjects) behind the connected sockets. */
  socketUsers: number;
  /** Distinct users who requested the alert queue and the chart, in turn. */
  requestingUsers: number;
  achievedBackgroundRate: number;
  alertQueue: LatencyFigures;
  patientChart: LatencyFigures;
  /** Responses other than 200: each one makes the figures above suspect. */
  failedRequests: number;
}

/** The user a bearer token names (its `sub` claim), read without verifying it. */
export function tokenSubject(token: string): string {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8') || '{}') as { sub?: unknown };
  if (typeof claims.sub !== 'string') throw new Error('token without a subject');
  return claims.sub;
}

/**
 * What a coordinator waits for in the console while ingest is busy: the alert queue and a
 * patient's 30-day chart, requested one after the other for the window, with `sockets`
 * coordinator sockets held open and the simulator's load running at `backgroundRate`. Socket i
 * and request pair i belong to coordinators[i % length]: with one signed-in coordinator per
 * socket, spread over the API instances, every socket is a different user and the requests
 * take the coordinators in turn.
 */
export async function measureConsoleUnderLoad(
  background: readonly ResolvedDevice[],
  coordinators: readonly ApiClient[],
  chartPatientId: string,
  options: ConsoleLoadOptions,
): Promise<ConsoleLoadFigures> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < options.sockets; i++) {
      const api = coordinators[i % coordinators.length];
      sockets.push(await openAlertSocket(api.baseUrl, api.accessToken));
    }
    const requesters = new Set<string>();
    const queue: number[] = [];
    const chart: number[] = [];
    let failed = 0;
    let loadStarted = false;
    const stop = new AbortController();
    const timed = async (api: ApiClient, path: string, into: number[]) => {
      const started = performance.now();
      const response = await api.request('GET', path);
      into.push(performance.now() - started);
      if (response.status !== 200) failed += 1;
    };
    const requesting = (async () => {
      while (!loadStarted) await new Promise((resolve) => setTimeout(resolve, 50));
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const end = Date.now() + options.windowSeconds * 1000;
      for (let i = 0; Date.now() < end; i++) {
        const api = coordinators[i % coordinators.length];
        requesters.add(api.accessToken);
        await timed(api, '/api/alerts?status=pending_confirmation,open', queue);
        await timed(
          api,
          `/api/patients/${chartPatientId}/vitals?type=blood_pressure_systolic&from=${from}`,
          chart,
        );
      }
    })().finally(() => stop.abort());
    const [load] = await Promise.all([
      runBackgroundLoad(background, {
        seed: 'bench-console',
        ratePerSecond: options.backgroundRate,
        signal: stop.signal,
        onStarted: () => {
          loadStarted = true;
        },
      }),
      requesting,
    ]);
    const connected = sockets
      .map((socket, i) => ({ socket, token: coordinators[i % coordinators.length].accessToken }))
      .filter(({ socket }) => socket.connected);
    return {
      socketsConnected: connected.length,
      socketUsers: new Set(connected.map(({ token }) => tokenSubject(token))).size,
      requestingUsers: new Set([...requesters].map(tokenSubject)).size,
      achievedBackgroundRate: load.achievedRate,
      alertQueue: latencyFigures(queue),
      patientChart: latencyFigures(chart),
      failedRequests: failed,
    };
  } finally {
    sockets.forEach((socket) => socket.disconnect());
  }
}
