import { io, type Socket } from 'socket.io-client';
import {
  ALERT_REPLAY_MAX,
  type AlertDto,
  type AlertPageQuery,
  type AlertReplayComplete,
  type Severity,
  type AlertStatus,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@homeward/contracts';
import { ApiClient, TestStack, createOrganization, createUser } from '@homeward/testing';

interface SeededAlert {
  sequence: number;
  organizationId: string;
  severity: Severity;
  status: AlertStatus;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** The order a coordinator back from an absence must see: critical first, newest first within. */
const replayOrder = (alerts: SeededAlert[]): number[] =>
  [...alerts]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.sequence - a.sequence)
    .map((a) => a.sequence);

describe('alert queue order and replay after reconnect (api process; PostgreSQL, Redis)', () => {
  let stack: TestStack;
  let coordinatorA: ApiClient;
  let coordinatorB: ApiClient;
  let orgA: string;
  let orgB: string;
  let patientA: string;
  let patientB: string;
  const sockets: Socket[] = [];

  /** Alerts written straight to the suite's database, in order: many alerts, quickly. */
  const seed = async (
    specs: Array<{ organizationId: string; severity: Severity; status?: AlertStatus }>,
  ): Promise<SeededAlert[]> => {
    const { rows } = await stack.database.pool.query<{
      sequence: string;
      organization_id: string;
      severity: Severity;
      status: AlertStatus;
    }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       SELECT s.organization_id, s.patient_id, 'test.seeded', 'threshold', 'seeded alert', s.severity, s.status,
              'heart_rate', 131, '/min', now(), gen_random_uuid(), 'seed-' || s.n, gen_random_uuid(), 'test',
              gen_random_uuid()::text, 131, now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY
            AS s(organization_id, patient_id, severity, status, n)
       ORDER BY s.n
       RETURNING sequence, organization_id, severity, status`,
      [
        specs.map((s) => s.organizationId),
        specs.map((s) => (s.organizationId === orgA ? patientA : patientB)),
        specs.map((s) => s.severity),
        specs.map((s) => s.status ?? 'open'),
      ],
    );
    return rows.map((r) => ({
      sequence: Number(r.sequence),
      organizationId: r.organization_id,
      severity: r.severity,
      status: r.status,
    }));
  };

  /** Connects as a coordinator back from an absence and collects the replay until it is declared complete. */
  const reconnect = async (
    api: ApiClient,
    lastSequence: number,
  ): Promise<{ alerts: AlertDto[]; complete: AlertReplayComplete }> => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken, lastSequence },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const alerts: AlertDto[] = [];
    socket.on('alert.created', (alert) => alerts.push(alert));
    try {
      const complete = await new Promise<AlertReplayComplete>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no alert.replay.complete after ${alerts.length} replayed alerts`)),
          20_000,
        );
        socket.once('alert.replay.complete', (summary) => {
          clearTimeout(timer);
          resolve(summary);
        });
        socket.once('connect_error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      return { alerts, complete };
    } finally {
      socket.disconnect();
    }
  };

  /** Reads one REST query to its end, page by page, with the keyset cursor. */
  const readAll = async (api: ApiClient, query: AlertPageQuery): Promise<number[]> => {
    const sequences: number[] = [];
    let before = query.beforeSequence;
    for (;;) {
      const params = new URLSearchParams({
        severity: query.severity,
        afterSequence: String(query.afterSequence),
        limit: '1000',
      });
      if (before !== undefined) params.set('beforeSequence', String(before));
      const page = await api.request<{ items: AlertDto[] }>('GET', `/api/alerts?${params.toString()}`);
      expect(page.status).toBe(200);
      sequences.push(...page.body.items.map((a) => a.sequence));
      if (page.body.items.length < 1000) return sequences;
      before = page.body.items[page.body.items.length - 1].sequence;
    }
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'] });
    orgA = await createOrganization(stack.database.pool, 'Org A');
    orgB = await createOrganization(stack.database.pool, 'Org B');
    const userA = await createUser(stack.database.pool, orgA, 'coordinator');
    const userB = await createUser(stack.database.pool, orgB, 'coordinator');
    coordinatorA = await new ApiClient(stack.apiUrl).login(userA.email, userA.password);
    coordinatorB = await new ApiClient(stack.apiUrl).login(userB.email, userB.password);
    patientA = (await coordinatorA.createPatient('Maria', 'Alvarez')).id;
    patientB = (await coordinatorB.createPatient('Jon', 'Berg')).id;
  });

  beforeEach(async () => {
    // Each test counts its sequences from 1, so the digit boundaries fall where it expects them.
    // CASCADE: whatever hangs off alerts (history, escalations, notifications) goes with them.
    await stack.database.pool.query('TRUNCATE alerts RESTART IDENTITY CASCADE');
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await stack?.stop();
  });

  it('lists open alerts newest first as the queue grows past 9 and 99 alerts, and its limit keeps the newest', async () => {
    const seeded: SeededAlert[] = [];
    const openSequences = async (limit?: number): Promise<number[]> => {
      const response = await coordinatorA.request<{ items: AlertDto[] }>(
        'GET',
        `/api/alerts?status=open${limit === undefined ? '' : `&limit=${limit}`}`,
      );
      expect(response.status).toBe(200);
      return response.body.items.map((a) => a.sequence);
    };
    const expectedOpen = (limit = 100): number[] =>
      seeded
        .filter((a) => a.organizationId === orgA && a.status === 'open')
        .map((a) => a.sequence)
        .sort((a, b) => b - a)
        .slice(0, limit);

    seeded.push(
      ...(await seed(Array.from({ length: 9 }, () => ({ organizationId: orgA, severity: 'warning' })))),
    );
    expect(await openSequences()).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);

    seeded.push(...(await seed([{ organizationId: orgA, severity: 'critical' }])));
    expect(await openSequences()).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

    // Up to sequence 99, with another organisation's and acknowledged alerts in between.
    seeded.push(
      ...(await seed(
        Array.from({ length: 89 }, (_, i) => ({
          organizationId: i % 5 === 0 ? orgB : orgA,
          severity: 'warning' as const,
          status: i % 7 === 0 ? ('acknowledged' as const) : ('open' as const),
        })),
      )),
    );
    expect(Math.max(...seeded.map((a) => a.sequence))).toBe(99);
    const at99 = await openSequences();
    expect(at99[0]).toBe(Math.max(...expectedOpen()));
    expect(at99).toEqual(expectedOpen());

    // Past 100 and past the default page of 100 open alerts: the newest stay, the oldest drop off.
    seeded.push(
      ...(await seed(Array.from({ length: 40 }, () => ({ organizationId: orgA, severity: 'info' })))),
    );
    expect(expectedOpen(Infinity).length).toBeGreaterThan(100);
    const newest = await openSequences();
    expect(newest).toHaveLength(100);
    expect(newest[0]).toBe(139);
    expect(newest).toEqual(expectedOpen());
    expect(await openSequences(5)).toEqual([139, 138, 137, 136, 135]);
  });

  it('replays 600+ missed alerts after reconnect, critical first and newest first within each severity, then says it is done', async () => {
    // 1,100 alerts: one in seven for another organisation; about one in ten critical.
    const seeded = await seed(
      Array.from({ length: 1100 }, (_, i) => {
        const n = i + 1;
        return {
          organizationId: n % 7 === 0 ? orgB : orgA,
          severity: n % 10 === 0 ? 'critical' : n % 3 === 0 ? 'warning' : 'info',
          status: n % 4 === 0 ? 'acknowledged' : 'open',
        };
      }),
    );
    // Seen up to 5: the missed alerts cross 9 → 10, 99 → 100 and 999 → 1000.
    const missed = seeded.filter((a) => a.organizationId === orgA && a.sequence > 5);
    expect(missed.length).toBeGreaterThan(600);

    const { alerts, complete } = await reconnect(coordinatorA, 5);

    expect(alerts.map((a) => a.sequence)).toEqual(replayOrder(missed));
    expect(alerts.every((a) => a.organizationId === orgA)).toBe(true);
    expect(alerts[0]).toMatchObject({ sequence: 1100, severity: 'critical', patientId: patientA });
    expect(complete).toEqual({
      count: missed.length,
      highestSequence: 1100,
      truncated: false,
      remaining: [],
      updated: 0,
      updatesTruncated: false,
    });

    // Back at once with the highest sequence: nothing was missed, and the client is told so.
    const again = await reconnect(coordinatorA, complete.highestSequence ?? 0);
    expect(again.alerts).toEqual([]);
    expect(again.complete).toEqual({
      count: 0,
      highestSequence: null,
      truncated: false,
      remaining: [],
      updated: 0,
      updatesTruncated: false,
    });
  });

  it("never replays another organisation's alerts", async () => {
    const seeded = await seed(
      Array.from({ length: 700 }, (_, i) => ({
        organizationId: i % 3 === 0 ? orgB : orgA,
        severity: i % 4 === 0 ? 'critical' : 'warning',
      })),
    );
    const ofB = seeded.filter((a) => a.organizationId === orgB);

    const { alerts, complete } = await reconnect(coordinatorB, 0);

    expect(alerts.map((a) => a.sequence)).toEqual(replayOrder(ofB));
    expect(alerts.filter((a) => a.organizationId !== orgB || a.patientId !== patientB)).toEqual([]);
    expect(complete).toMatchObject({ count: ofB.length, truncated: false });
  });

  it('cuts a very long absence short at ALERT_REPLAY_MAX, says so, and the REST API returns exactly the rest', async () => {
    // Mostly warnings, so the cap falls inside them: the rest is the older warnings, then every info.
    const seeded = await seed(
      Array.from({ length: ALERT_REPLAY_MAX + 1234 }, (_, i) => {
        const n = i + 1;
        return {
          organizationId: orgA,
          severity: n % 10 === 0 ? 'critical' : n % 10 === 9 ? 'info' : 'warning',
        };
      }),
    );
    const expected = replayOrder(seeded);

    const { alerts, complete } = await reconnect(coordinatorA, 0);

    expect(alerts.map((a) => a.sequence)).toEqual(expected.slice(0, ALERT_REPLAY_MAX));
    const lastReplayed = alerts[alerts.length - 1];
    expect(lastReplayed.severity).toBe('warning');
    expect(complete).toEqual({
      count: ALERT_REPLAY_MAX,
      highestSequence: Math.max(...seeded.map((a) => a.sequence)),
      truncated: true,
      remaining: [
        { severity: 'warning', afterSequence: 0, beforeSequence: lastReplayed.sequence },
        { severity: 'info', afterSequence: 0 },
      ],
      updated: 0,
      updatesTruncated: false,
    });

    const rest: number[] = [];
    for (const query of complete.remaining) rest.push(...(await readAll(coordinatorA, query)));
    expect(rest).toEqual(expected.slice(ALERT_REPLAY_MAX));
  });
});
