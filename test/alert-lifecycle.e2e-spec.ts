import { io, type Socket } from 'socket.io-client';
import type { AlertDto, ClientToServerEvents, ServerToClientEvents, Severity } from '@homeward/contracts';
import { ApiClient, TestStack, createOrganization, createUser, waitFor } from '@homeward/testing';

interface AlertDetail extends AlertDto {
  history: Array<{
    action: string;
    actorUserId: string | null;
    fromStatus: string;
    toStatus: string;
    detail: Record<string, unknown>;
  }>;
}

describe('alert lifecycle: actions, conflicts, history and live updates (api process; PostgreSQL, Redis)', () => {
  let stack: TestStack;
  let coordinator: ApiClient;
  let clinician: ApiClient;
  let outsider: ApiClient;
  let coordinatorId: string;
  let clinicianId: string;
  let outsiderId: string;
  let organization: string;
  let patient: string;
  const sockets: Socket[] = [];

  const raise = async (severity: Severity): Promise<string> => {
    const { rows } = await stack.database.pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'test.rule', 'threshold', 'test alert', $3, 'heart_rate', 131, '/min', now(),
               gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid(), 'test', gen_random_uuid()::text, 131, now())
       RETURNING id`,
      [organization, patient, severity],
    );
    return rows[0].id;
  };

  const listen = async (api: ApiClient): Promise<AlertDto[]> => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const updates: AlertDto[] = [];
    socket.on('alert.updated', (alert) => updates.push(alert));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return updates;
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'] });
    organization = await createOrganization(stack.database.pool, 'Lifecycle Org');
    const other = await createOrganization(stack.database.pool, 'Other Org');
    const coordinatorUser = await createUser(stack.database.pool, organization, 'coordinator');
    const clinicianUser = await createUser(stack.database.pool, organization, 'clinician');
    const outsiderUser = await createUser(stack.database.pool, other, 'coordinator');
    [coordinatorId, clinicianId, outsiderId] = [coordinatorUser.id, clinicianUser.id, outsiderUser.id];
    coordinator = await new ApiClient(stack.apiUrl).login(coordinatorUser.email, coordinatorUser.password);
    clinician = await new ApiClient(stack.apiUrl).login(clinicianUser.email, clinicianUser.password);
    outsider = await new ApiClient(stack.apiUrl).login(outsiderUser.email, outsiderUser.password);
    patient = (await coordinator.createPatient('Ruth', 'Lindqvist')).id;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  it('takes an alert from open through acknowledged and escalated to resolved, with its history and a push for each step', async () => {
    const updates = await listen(clinician);
    const id = await raise('warning');

    const acknowledged = await coordinator.request<AlertDto>('POST', `/api/alerts/${id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    // Acknowledging takes ownership of an unassigned alert.
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', assignedTo: coordinatorId });

    const assigned = await coordinator.request<AlertDto>('POST', `/api/alerts/${id}/assign`, {
      userId: clinicianId,
    });
    expect(assigned.body).toMatchObject({ status: 'acknowledged', assignedTo: clinicianId });
    const noted = await clinician.request('POST', `/api/alerts/${id}/notes`, { text: 'Called the patient' });
    expect(noted.status).toBe(200);
    const escalated = await clinician.request<AlertDto>('POST', `/api/alerts/${id}/escalate`);
    expect(escalated.body.status).toBe('escalated');
    const resolved = await clinician.request<AlertDto>('POST', `/api/alerts/${id}/resolve`, {
      reason: 'Medication adjusted',
    });
    expect(resolved.body.status).toBe('resolved');

    const detail = await coordinator.request<AlertDetail>('GET', `/api/alerts/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.history.map((entry) => [entry.action, entry.fromStatus, entry.toStatus])).toEqual([
      ['raise', 'open', 'open'],
      ['acknowledge', 'open', 'acknowledged'],
      ['assign', 'acknowledged', 'acknowledged'],
      ['note', 'acknowledged', 'acknowledged'],
      ['escalate', 'acknowledged', 'escalated'],
      ['resolve', 'escalated', 'resolved'],
    ]);
    expect(detail.body.history[3]).toMatchObject({
      actorUserId: clinicianId,
      detail: { text: 'Called the patient' },
    });
    expect(detail.body.history[5].detail).toEqual({ reason: 'Medication adjusted' });

    await waitFor(() => updates.filter((alert) => alert.id === id).length === 5, {
      what: 'an alert.updated for each of the five actions',
    });
    expect(updates.filter((alert) => alert.id === id).map((alert) => alert.status)).toEqual([
      'acknowledged',
      'acknowledged',
      'acknowledged',
      'escalated',
      'resolved',
    ]);
  });

  it('replays, as alert.updated, the changes to alerts a client already had when it reconnects', async () => {
    const id = await raise('warning');
    const before = await clinician.request<AlertDetail>('GET', `/api/alerts/${id}`);
    // The client saw the alert, then went away; meanwhile a colleague acknowledged it.
    const lastSeen = before.body.changeSequence;
    await coordinator.request('POST', `/api/alerts/${id}/acknowledge`);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${stack.apiUrl}/alerts`, {
      auth: { token: clinician.accessToken, lastSequence: lastSeen },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const updated: AlertDto[] = [];
    const created: AlertDto[] = [];
    socket.on('alert.updated', (alert) => updated.push(alert));
    socket.on('alert.created', (alert) => created.push(alert));
    const complete = await new Promise<{ updated: number }>((resolve, reject) => {
      socket.once('alert.replay.complete', resolve);
      socket.once('connect_error', reject);
    });
    expect(created.map((alert) => alert.id)).not.toContain(id);
    expect(updated).toEqual([expect.objectContaining({ id, status: 'acknowledged' })]);
    expect(updated[0].changeSequence).toBeGreaterThan(lastSeen);
    expect(complete.updated).toBe(1);
  });

  it('lets exactly one of two simultaneous acknowledgements win; the other gets 409 with the state', async () => {
    const id = await raise('critical');
    const [first, second] = await Promise.all([
      coordinator.request<AlertDto>('POST', `/api/alerts/${id}/acknowledge`),
      clinician.request<AlertDto>('POST', `/api/alerts/${id}/acknowledge`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body).toMatchObject({ code: 'alert_state_conflict', status: 'acknowledged' });
    const { rows } = await stack.database.pool.query(
      "SELECT count(*)::int AS n FROM alert_events WHERE alert_id = $1 AND action = 'acknowledge'",
      [id],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('refuses what the state or severity does not allow, with 409 and the reason', async () => {
    const critical = await raise('critical');
    const snoozeCritical = await coordinator.request('POST', `/api/alerts/${critical}/snooze`, {
      until: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(snoozeCritical.status).toBe(409);
    expect(snoozeCritical.body).toMatchObject({ code: 'alert_severity', severity: 'critical' });

    const warning = await raise('warning');
    const tooLong = await coordinator.request('POST', `/api/alerts/${warning}/snooze`, {
      until: new Date(Date.now() + 25 * 3600_000).toISOString(),
    });
    expect(tooLong.status).toBe(409);
    const snoozed = await coordinator.request<AlertDto>('POST', `/api/alerts/${warning}/snooze`, {
      until: new Date(Date.now() + 2 * 3600_000).toISOString(),
    });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.snoozedUntil).not.toBeNull();
    // Snoozed: out of the queue until the snooze ends, still there when asked for.
    const queue = await coordinator.request<{ items: AlertDto[] }>('GET', '/api/alerts?limit=1000');
    expect(queue.body.items.map((alert) => alert.id)).not.toContain(warning);
    expect(queue.body.items.map((alert) => alert.id)).toContain(critical);
    const withSnoozed = await coordinator.request<{ items: AlertDto[] }>(
      'GET',
      '/api/alerts?limit=1000&includeSnoozed=true',
    );
    expect(withSnoozed.body.items.map((alert) => alert.id)).toContain(warning);

    const dismissed = await coordinator.request('POST', `/api/alerts/${warning}/dismiss`, {
      reason: 'Cuff misplaced',
    });
    expect(dismissed.status).toBe(200);
    const again = await coordinator.request('POST', `/api/alerts/${warning}/acknowledge`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      status: 'dismissed',
      message: 'Cannot acknowledge an alert that is dismissed',
    });
    expect((await coordinator.request('POST', `/api/alerts/${warning}/resolve`, {})).status).toBe(400);
  });

  it("keeps another organisation's users out, and assigns only to colleagues", async () => {
    const id = await raise('info');
    expect((await outsider.request('GET', `/api/alerts/${id}`)).status).toBe(404);
    expect((await outsider.request('POST', `/api/alerts/${id}/acknowledge`)).status).toBe(404);
    const toOutsider = await coordinator.request('POST', `/api/alerts/${id}/assign`, { userId: outsiderId });
    expect(toOutsider.status).toBe(404);
    const detail = await coordinator.request<AlertDetail>('GET', `/api/alerts/${id}`);
    expect(detail.body).toMatchObject({ status: 'open', assignedTo: null });
  });

  it('lists by several statuses and by assignee', async () => {
    const mine = await raise('warning');
    await clinician.request('POST', `/api/alerts/${mine}/acknowledge`);
    const page = await clinician.request<{ items: AlertDto[] }>(
      'GET',
      '/api/alerts?assignedTo=me&status=acknowledged,escalated',
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.every((alert) => alert.assignedTo === clinicianId)).toBe(true);
    expect(page.body.items.map((alert) => alert.id)).toContain(mine);
    const closed = await coordinator.request<{ items: AlertDto[] }>(
      'GET',
      '/api/alerts?status=resolved,dismissed',
    );
    expect(closed.body.items.every((alert) => ['resolved', 'dismissed'].includes(alert.status))).toBe(true);
    expect((await coordinator.request('GET', '/api/alerts?status=open,bogus')).status).toBe(400);
  });

  it('measures counts by severity and state, time to acknowledge and resolve, and alerts per patient per week', async () => {
    const org = await createOrganization(stack.database.pool, 'Metrics Org');
    const user = await createUser(stack.database.pool, org, 'admin');
    const admin = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const patientIds = [
      (await admin.createPatient('A', 'One')).id,
      (await admin.createPatient('B', 'Two')).id,
    ];
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 8, 0) + minutes * 60_000);
    // Minutes to acknowledgement 2, 4, 6, 8, 10 (median 6 min, p90 9.2 min); resolved after 30 and 90.
    const seeded: Array<{ severity: Severity; status: string; ack?: number; closed?: number }> = [
      { severity: 'critical', status: 'resolved', ack: 2, closed: 30 },
      { severity: 'critical', status: 'acknowledged', ack: 4 },
      { severity: 'warning', status: 'resolved', ack: 6, closed: 90 },
      { severity: 'warning', status: 'acknowledged', ack: 8 },
      { severity: 'warning', status: 'dismissed', ack: 10, closed: 11 },
      { severity: 'info', status: 'open' },
    ];
    for (const [i, alert] of seeded.entries()) {
      await stack.database.pool.query(
        `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                             trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                             trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at,
                             created_at, acknowledged_at, closed_at)
         VALUES ($1, $2, 'test.rule', 'threshold', 'test', $3, $4, 'heart_rate', 131, '/min', $5, gen_random_uuid(),
                 $6, gen_random_uuid(), 'test', $6, 131, $5, $5, $7, $8)`,
        [
          org,
          patientIds[i % 2],
          alert.severity,
          alert.status,
          at(i),
          `metrics-${i}`,
          alert.ack === undefined ? null : at(i + alert.ack),
          alert.closed === undefined ? null : at(i + alert.closed),
        ],
      );
    }
    const response = await admin.request<Record<string, unknown>>(
      'GET',
      `/api/metrics/alerts?from=${at(-1).toISOString()}&to=${at(7 * 24 * 60 - 1).toISOString()}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      total: 6,
      timeToAcknowledge: { median: 360, p90: 552 },
      timeToResolve: { median: 3600, p90: 5040 },
      // 6 alerts, 2 patients, one week.
      alertsPerPatientPerWeek: 3,
    });
    expect(response.body.counts).toEqual(
      expect.arrayContaining([
        { severity: 'critical', status: 'resolved', count: 1 },
        { severity: 'warning', status: 'dismissed', count: 1 },
        { severity: 'info', status: 'open', count: 1 },
      ]),
    );
    // Another organisation's alerts are not counted.
    const other = await coordinator.request<{ total: number }>(
      'GET',
      `/api/metrics/alerts?from=${at(-1).toISOString()}&to=${at(7 * 24 * 60 - 1).toISOString()}`,
    );
    expect(other.body.total).toBe(0);
    expect(
      (
        await admin.request(
          'GET',
          `/api/metrics/alerts?from=${at(5).toISOString()}&to=${at(1).toISOString()}`,
        )
      ).status,
    ).toBe(400);
  });

  it('answers hostile input on the alert, rule and protocol routes with a specific 4xx and changes nothing', async () => {
    const id = await raise('warning');
    const outsiderPatient = (await outsider.createPatient('Out', 'Sider')).id;
    const otherOrgAlert = await (async () => {
      const { rows } = await stack.database.pool.query<{ id: string }>(
        `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                             trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                             trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
         SELECT p.organization_id, p.id, 'test.rule', 'threshold', 'test', 'info', 'heart_rate', 131, '/min', now(),
                gen_random_uuid(), 'x', gen_random_uuid(), 'test', gen_random_uuid()::text, 131, now()
         FROM patients p WHERE p.id = $1
         RETURNING id`,
        [outsiderPatient],
      );
      return rows[0]?.id;
    })();

    // NUL bytes and oversized text.
    const nul = await coordinator.request<{ code: string }>('POST', `/api/alerts/${id}/notes`, {
      text: 'a\u0000b',
    });
    expect(nul.status).toBe(400);
    expect(nul.body.code).toBe('unstorable_text');
    expect(
      (await coordinator.request('POST', `/api/alerts/${id}/notes`, { text: 'x'.repeat(2001) })).status,
    ).toBe(400);
    expect(
      (await coordinator.request('POST', `/api/alerts/${id}/resolve`, { reason: 'x'.repeat(100_000) }))
        .status,
    ).toBe(413);
    // Dates and numbers out of any sensible range.
    expect(
      (await coordinator.request('POST', `/api/alerts/${id}/snooze`, { until: '9999-12-31T00:00:00Z' }))
        .status,
    ).toBe(409);
    expect(
      (await coordinator.request('POST', `/api/alerts/${id}/snooze`, { until: 'tomorrow' })).status,
    ).toBe(400);
    expect(
      (
        await coordinator.request('POST', '/api/rules/preview', {
          rule: { kind: 'threshold', type: 'heart_rate', operator: '>=', value: 1e308, severity: 'warning' },
          days: 30,
        })
      ).status,
    ).toBe(400);
    expect(
      (await coordinator.request('POST', '/api/rules/preview', { rule: { kind: 'threshold' }, days: 1e12 }))
        .status,
    ).toBe(400);
    expect(
      (
        await coordinator.request('POST', '/api/rules/preview', {
          rule: { kind: 'threshold', type: 'heart\u0000rate' },
          days: 30,
        })
      ).status,
    ).toBe(400);
    // Ids that are not ids, and ids of another organisation.
    expect((await coordinator.request('POST', '/api/alerts/not-a-uuid/acknowledge')).status).toBe(400);
    expect(otherOrgAlert).toBeDefined();
    for (const action of ['acknowledge', 'escalate'])
      expect((await coordinator.request('POST', `/api/alerts/${otherOrgAlert}/${action}`)).status).toBe(404);
    expect(
      (await coordinator.request('POST', `/api/alerts/${otherOrgAlert}/notes`, { text: 'hi' })).status,
    ).toBe(404);
    expect((await coordinator.request('GET', `/api/metrics/alerts?from=not-a-date`)).status).toBe(400);
    expect(
      (await coordinator.request('PUT', `/api/patients/${outsiderPatient}/protocols`, { keys: ['copd'] }))
        .status,
    ).toBe(404);
    expect(
      (
        await coordinator.request('POST', '/api/rules/preview', {
          rule: { kind: 'threshold', type: 'heart_rate', operator: '>=', value: 120, severity: 'warning' },
          days: 30,
          patientIds: [outsiderPatient],
        })
      ).body,
    ).toMatchObject({ byPatient: [] });

    // Nothing happened to the alert, and another organisation's alert is as it was.
    const detail = await coordinator.request<AlertDetail>('GET', `/api/alerts/${id}`);
    expect(detail.body).toMatchObject({ status: 'open', snoozedUntil: null, assignedTo: null });
    expect(detail.body.history.map((entry) => entry.action)).toEqual(['raise']);
    const { rows } = await stack.database.pool.query('SELECT status FROM alerts WHERE id = $1', [
      otherOrgAlert,
    ]);
    expect(rows[0]).toEqual({ status: 'open' });
  });
});
