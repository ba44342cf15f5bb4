import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type {
  AlertDto,
  ClientToServerEvents,
  NotificationDto,
  ServerToClientEvents,
} from '@homeward/contracts';
import {
  ApiClient,
  SmtpMailbox,
  TestStack,
  TwilioDouble,
  createOrganization,
  createUser,
  sleep,
  waitFor,
  type TestUser,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

interface Received {
  updated: AlertDto[];
  notifications: NotificationDto[];
}

describe('escalation of unacknowledged critical alerts (api, ingest and worker processes; PostgreSQL, Redis, Mosquitto, an SMTP server, a Twilio double)', () => {
  let stack: TestStack;
  let mailbox: SmtpMailbox;
  let twilio: TwilioDouble;
  let adminUser: TestUser;
  let clinicianUser: TestUser;
  let admin: ApiClient;
  let clinician: ApiClient;
  let coordinator: ApiClient;
  const sockets: Socket[] = [];
  const devices: MqttClient[] = [];
  let clinicianInbox: Received;
  let adminInbox: Received;

  const listen = async (api: ApiClient): Promise<Received> => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const received: Received = { updated: [], notifications: [] };
    socket.on('alert.updated', (alert) => received.updated.push(alert));
    socket.on('notification', (notification) => received.notifications.push(notification));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return received;
  };

  /**
   * A new patient's cuff publishes a hypertensive-crisis reading and, as the platform asks, a
   * re-measurement that confirms it; resolves with the critical alert's id once it is open (a
   * crisis waiting for its re-measurement escalates to no one).
   */
  const crisis = async (name: string): Promise<string> => {
    const patient = await coordinator.createPatient('Esther', name);
    const device = await coordinator.registerDevice(patient.id, 'bp_cuff');
    const mqtt = await connectDevice(stack.broker.url, device);
    devices.push(mqtt);
    const alertOf = async (status: string) =>
      (
        await stack.database.pool.query<{ id: string }>(
          "SELECT id FROM alerts WHERE patient_id = $1 AND severity = 'critical' AND status = $2",
          [patient.id, status],
        )
      ).rows[0]?.id;
    await publishRaw(mqtt, device.id, bpMessage(`crisis-${name}`, 194, 126, new Date(Date.now() - 1000)));
    await waitFor(() => alertOf('pending_confirmation'), {
      what: `the pending alert of ${name}`,
      timeoutMs: 20_000,
    });
    await publishRaw(mqtt, device.id, bpMessage(`remeasure-${name}`, 191, 124));
    return waitFor(() => alertOf('open'), { what: `the critical alert of ${name}`, timeoutMs: 20_000 });
  };

  const escalateEvents = async (alertId: string) =>
    (
      await stack.database.pool.query<{ detail: { step: number; to: string | null } }>(
        "SELECT detail FROM alert_events WHERE alert_id = $1 AND action = 'escalate' ORDER BY id",
        [alertId],
      )
    ).rows.map((row) => row.detail);

  const setPolicy = async (firstAfterSeconds: number, thenAfterSeconds: number) => {
    const response = await admin.request('PUT', '/api/escalation-policy', {
      firstAfterSeconds,
      thenAfterSeconds,
    });
    expect(response).toMatchObject({
      status: 200,
      body: { firstAfterSeconds, thenAfterSeconds, source: 'organization' },
    });
  };

  beforeAll(async () => {
    [mailbox, twilio] = await Promise.all([SmtpMailbox.start(), TwilioDouble.start()]);
    stack = await TestStack.start({
      apps: ['api', 'ingest', 'worker'],
      env: {
        ESCALATION_SWEEP_EVERY_MS: '500',
        NOTIFICATION_CHANNELS: 'socket,email,sms',
        SMTP_URL: mailbox.url,
        NOTIFY_FROM: 'Homeward <alerts@homeward.test>',
        ...twilio.env(),
      },
    });
    const organization = await createOrganization(stack.database.pool, 'Escalation Org');
    adminUser = await createUser(stack.database.pool, organization, 'admin');
    // On call for the organisation, in none of the patients' care teams: the escalation alone
    // brings the alert to their socket (AccessPolicy.patientRooms).
    clinicianUser = await createUser(stack.database.pool, organization, 'clinician', { careTeam: 'On call' });
    const coordinatorUser = await createUser(stack.database.pool, organization, 'coordinator');
    admin = await new ApiClient(stack.apiUrl).login(adminUser.email, adminUser.password);
    clinician = await new ApiClient(stack.apiUrl).login(clinicianUser.email, clinicianUser.password);
    coordinator = await new ApiClient(stack.apiUrl).login(coordinatorUser.email, coordinatorUser.password);
    clinicianInbox = await listen(clinician);
    adminInbox = await listen(admin);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await Promise.all(devices.map((device) => device.endAsync()));
    await stack?.stop();
    await Promise.all([mailbox?.stop(), twilio?.stop()]);
  });

  it('lets admins set the policy and the on-call roster, everyone read them, and refuses bad input', async () => {
    const defaults = await clinician.request('GET', '/api/escalation-policy');
    expect(defaults).toMatchObject({
      status: 200,
      body: { firstAfterSeconds: 600, thenAfterSeconds: 900, source: 'default' },
    });
    expect(
      (
        await clinician.request('PUT', '/api/escalation-policy', {
          firstAfterSeconds: 2,
          thenAfterSeconds: 2,
        })
      ).status,
    ).toBe(403);
    const tooShort = await admin.request('PUT', '/api/escalation-policy', {
      firstAfterSeconds: 0,
      thenAfterSeconds: 2,
    });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('firstAfterSeconds');
    await setPolicy(2, 2);

    const shift = {
      userId: clinicianUser.id,
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    };
    const backwards = await admin.request('PUT', '/api/on-call', {
      shifts: [{ ...shift, startsAt: shift.endsAt, endsAt: shift.startsAt }],
    });
    expect(backwards).toMatchObject({ status: 400, body: { code: 'invalid_shift', index: 0 } });
    const stranger = await admin.request('PUT', '/api/on-call', {
      shifts: [{ ...shift, userId: '2b0c8f0e-8a4e-4d7b-9d43-6d1c7f9f0a11' }],
    });
    expect(stranger.status).toBe(404);
    expect((await coordinator.request('PUT', '/api/on-call', { shifts: [shift] })).status).toBe(403);
    expect((await admin.request('PUT', '/api/on-call', { shifts: [shift] })).status).toBe(200);

    const roster = await coordinator.request<{ onCall: { userId: string } | null; shifts: unknown[] }>(
      'GET',
      '/api/on-call',
    );
    expect(roster.status).toBe(200);
    expect(roster.body.onCall).toMatchObject({ userId: clinicianUser.id });
    expect(roster.body.shifts).toHaveLength(1);
  });

  it('escalates a critical alert nobody acknowledges to the on-call clinician, then to the admin, over the socket', async () => {
    const alertId = await crisis('Unanswered');

    const escalated = await waitFor(
      () => clinicianInbox.updated.find((alert) => alert.id === alertId && alert.status === 'escalated'),
      { what: 'alert.updated with status escalated', timeoutMs: 20_000 },
    );
    expect(escalated.assignedTo).toBe(clinicianUser.id);
    const toClinician = await waitFor(() => clinicianInbox.notifications.find((n) => n.alertId === alertId), {
      what: "the on-call clinician's notification",
      timeoutMs: 20_000,
    });
    expect(toClinician).toMatchObject({
      kind: 'alert.escalated',
      payload: { step: 1, severity: 'critical' },
    });
    const toAdmin = await waitFor(() => adminInbox.notifications.find((n) => n.alertId === alertId), {
      what: "the admin's notification",
      timeoutMs: 20_000,
    });
    expect(toAdmin.payload.step).toBe(2);
    // Notifications go to their recipient only.
    expect(clinicianInbox.notifications.filter((n) => n.alertId === alertId)).toHaveLength(1);
    expect(await escalateEvents(alertId)).toEqual([
      { step: 1, to: clinicianUser.id, notified: [clinicianUser.id] },
      { step: 2, to: adminUser.id, notified: [adminUser.id] },
    ]);

    const detail = await coordinator.request<{
      status: string;
      history: Array<{ action: string; actorUserId: string | null }>;
    }>('GET', `/api/alerts/${alertId}`);
    expect(detail.body.status).toBe('escalated');
    expect(detail.body.history.filter((entry) => entry.action === 'escalate')).toEqual([
      expect.objectContaining({ actorUserId: null }),
      expect.objectContaining({ actorUserId: null }),
    ]);
  });

  it('escalates a crisis that follows an acknowledged grade 2 warning to the on-call clinician', async () => {
    const patient = await coordinator.createPatient('Esther', 'Raised');
    const device = await coordinator.registerDevice(patient.id, 'bp_cuff');
    const mqtt = await connectDevice(stack.broker.url, device);
    devices.push(mqtt);
    const episode = async () =>
      (
        await stack.database.pool.query<{ id: string; status: string; severity: string }>(
          'SELECT id, status, severity FROM alerts WHERE patient_id = $1',
          [patient.id],
        )
      ).rows;

    await publishRaw(mqtt, device.id, bpMessage('raised-grade2', 165, 95, new Date(Date.now() - 2000)));
    const [warning] = await waitFor(async () => ((await episode()).length > 0 ? episode() : undefined), {
      what: 'the grade 2 warning',
      timeoutMs: 20_000,
    });
    expect(warning).toMatchObject({ status: 'open', severity: 'warning' });
    const acknowledged = await coordinator.request<AlertDto>('POST', `/api/alerts/${warning.id}/acknowledge`);
    expect(acknowledged).toMatchObject({ status: 200, body: { status: 'acknowledged' } });

    // A crisis on the acknowledged episode: re-measure first, as for a new crisis, then escalate.
    await publishRaw(mqtt, device.id, bpMessage('raised-crisis', 200, 125, new Date(Date.now() - 1000)));
    await waitFor(
      async () =>
        (await episode()).find((a) => a.status === 'pending_confirmation' && a.severity === 'critical'),
      { what: 'the raised episode waiting for its re-measurement', timeoutMs: 20_000 },
    );
    await publishRaw(mqtt, device.id, bpMessage('raised-remeasure', 198, 124));
    const escalated = await waitFor(
      () => clinicianInbox.updated.find((alert) => alert.id === warning.id && alert.status === 'escalated'),
      { what: 'the raised alert escalated to the on-call clinician', timeoutMs: 20_000 },
    );
    expect(escalated).toMatchObject({ severity: 'critical', assignedTo: clinicianUser.id });
    expect(await escalateEvents(warning.id)).toEqual([expect.objectContaining({ step: 1 })]);
    const history = await stack.database.pool.query<{ action: string }>(
      'SELECT action FROM alert_events WHERE alert_id = $1 ORDER BY id',
      [warning.id],
    );
    expect(history.rows.map((row) => row.action).slice(0, 3)).toEqual([
      'acknowledge',
      'severity_raised',
      'confirm',
    ]);
  });

  it('escalates nothing once the alert is acknowledged before the delay', async () => {
    await setPolicy(6, 2);
    const alertId = await crisis('Answered');
    const acknowledged = await coordinator.request<AlertDto>('POST', `/api/alerts/${alertId}/acknowledge`);
    expect(acknowledged).toMatchObject({ status: 200, body: { status: 'acknowledged' } });

    // Past both steps and many sweeps.
    await sleep(10_000);
    expect(await escalateEvents(alertId)).toEqual([]);
    expect(clinicianInbox.notifications.filter((n) => n.alertId === alertId)).toEqual([]);
    expect(adminInbox.notifications.filter((n) => n.alertId === alertId)).toEqual([]);
    const { rows } = await stack.database.pool.query(
      'SELECT 1 FROM notification_outbox WHERE alert_id = $1',
      [alertId],
    );
    expect(rows).toHaveLength(0);
    const current = await coordinator.request<AlertDto>('GET', `/api/alerts/${alertId}`);
    expect(current.body.status).toBe('acknowledged');
  });

  it('takes every pending step exactly once after the worker is SIGKILLed and a fresh one starts', async () => {
    // Long enough that both alerts are raised and planned before any step falls due.
    await setPolicy(10, 2);
    const alertIds = await Promise.all([crisis('KilledFirst'), crisis('KilledSecond')]);
    const stepsOf = async (condition: string) =>
      (
        await stack.database.pool.query(
          `SELECT 1 FROM alert_escalations WHERE alert_id = ANY($1::uuid[]) AND ${condition}`,
          [alertIds],
        )
      ).rowCount;
    await waitFor(async () => (await stepsOf("status = 'pending'")) === 4, {
      what: 'both alerts with their two steps planned, none taken',
    });
    await stack.app('worker').kill();
    // The first steps fall due while no worker runs.
    await waitFor(async () => (await stepsOf('step = 1 AND due_at < now()')) === 2, {
      what: 'the first steps due',
      timeoutMs: 20_000,
    });
    expect(await stepsOf("status = 'pending'")).toBe(4);

    await stack.startApp('worker');
    for (const alertId of alertIds)
      await waitFor(async () => (await escalateEvents(alertId)).length === 2, {
        what: 'both steps taken by the fresh worker',
        timeoutMs: 30_000,
      });
    // Several sweeps later, still once each.
    await sleep(3000);
    for (const alertId of alertIds) {
      expect((await escalateEvents(alertId)).map((detail) => detail.step)).toEqual([1, 2]);
      // The socket and, by default, email, once for each of the two people told.
      const { rows } = await stack.database.pool.query<{ channel: string; status: string; n: number }>(
        `SELECT channel, status, count(*)::int AS n FROM notification_outbox WHERE alert_id = $1
         GROUP BY channel, status ORDER BY channel`,
        [alertId],
      );
      expect(rows).toEqual([
        { channel: 'email', status: 'sent', n: 2 },
        { channel: 'socket', status: 'sent', n: 2 },
      ]);
    }
  });
  it("reaches the on-call clinician's mailbox and phone, and their SMS reply ACK acknowledges the alert", async () => {
    const phone = '+447700900123';
    const inboundUrl = `${stack.apiUrl}/api/webhooks/twilio/inbound`;
    // Each user sets their own number (E.164 only); admins see their organisation's.
    const badNumber = await clinician.request('PUT', '/api/users/me/notification-preferences', {
      phone: '07700 900123',
    });
    expect(badNumber.status).toBe(400);
    const own = await clinician.request('PUT', '/api/users/me/notification-preferences', { phone });
    expect(own).toMatchObject({
      status: 200,
      body: { phone, channels: null, sendsTo: ['socket', 'email', 'sms'], fallbackOrder: ['email', 'sms'] },
    });
    expect(
      await admin.request('GET', `/api/users/${clinicianUser.id}/notification-preferences`),
    ).toMatchObject({ status: 200, body: { phone, email: clinicianUser.email } });
    expect(
      (await clinician.request('GET', `/api/users/${adminUser.id}/notification-preferences`)).status,
    ).toBe(403);
    expect(
      (await new ApiClient(stack.apiUrl).request('GET', '/api/users/me/notification-preferences')).status,
    ).toBe(401);

    await setPolicy(2, 600);
    const alertId = await crisis('Paged');
    const link = `${stack.apiUrl}/alerts/${alertId}`;
    const mail = await mailbox.waitFor(
      (message) =>
        message.to.includes(clinicianUser.email) && Boolean(message.parsed.text?.includes(alertId)),
      "the on-call clinician's email",
    );
    expect(mail.parsed.subject).toBe('Homeward: critical alert for a patient of yours');
    expect(mail.parsed.text).toBe(`Critical alert for a patient of yours — open Homeward:\n${link}\n`);
    const sms = await twilio.waitFor(
      (message) => message.to === phone && message.body.includes(alertId),
      "the on-call clinician's SMS",
    );
    expect(sms.body).toBe(
      `Homeward: critical alert for a patient of yours — open Homeward: ${link} Reply ACK to acknowledge.`,
    );
    expect(twilio.unauthorized).toBe(0);
    // Nothing about the patient or the reading left the platform.
    for (const text of [mail.parsed.text ?? '', mail.parsed.subject ?? '', sms.body])
      expect(text).not.toMatch(/Esther|Paged|194|126|mmHg|blood/i);

    // Twilio's signed delivery report settles the SMS.
    expect((await twilio.sendStatus(sms, 'delivered')).status).toBe(204);
    const smsStatus = async () =>
      (
        await stack.database.pool.query<{ status: string }>(
          "SELECT status FROM notification_outbox WHERE alert_id = $1 AND channel = 'sms'",
          [alertId],
        )
      ).rows[0]?.status;
    await waitFor(async () => (await smsStatus()) === 'delivered', { what: 'the SMS delivered' });

    // Forged, unknown or other replies change nothing.
    const status = async () =>
      (await coordinator.request<AlertDto>('GET', `/api/alerts/${alertId}`)).body.status;
    expect((await twilio.sendInbound(inboundUrl, phone, 'ACK', 'forged')).status).toBe(403);
    const unsigned = await fetch(inboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: phone, Body: 'ACK' }),
    });
    expect(unsigned.status).toBe(403);
    const stranger = await twilio.sendInbound(inboundUrl, '+447700900999', 'ACK');
    expect(stranger.status).toBe(200);
    expect(await stranger.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect((await twilio.sendInbound(inboundUrl, phone, 'ACK\u0000 please')).status).toBe(200);
    expect((await twilio.sendInbound(inboundUrl, phone, 'x'.repeat(70_000))).status).toBe(413);
    expect(await status()).toBe('escalated');

    const ack = await twilio.sendInbound(inboundUrl, phone, ' ack ');
    expect(ack.status).toBe(200);
    expect(ack.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await ack.text()).toContain('<Message>Homeward: alert acknowledged. Thank you.</Message>');
    expect(await status()).toBe('acknowledged');
    // As the clinician, through the console's path: in the history, the audit trail and every console.
    const detail = await coordinator.request<{
      history: Array<{ action: string; actorUserId: string | null }>;
    }>('GET', `/api/alerts/${alertId}`);
    expect(detail.body.history.at(-1)).toMatchObject({
      action: 'acknowledge',
      actorUserId: clinicianUser.id,
    });
    await waitFor(
      () => adminInbox.updated.find((alert) => alert.id === alertId && alert.status === 'acknowledged'),
      { what: 'the acknowledgement pushed to consoles' },
    );
    const { rows: audit } = await stack.database.pool.query<{ request_id: string }>(
      "SELECT request_id FROM audit_events WHERE actor_user_id = $1 AND action = 'alert.act' AND resource_id = $2",
      [clinicianUser.id, alertId],
    );
    expect(audit).toEqual([{ request_id: expect.stringMatching(/^sms-SM[0-9a-f]{32}$/) }]);

    const again = await twilio.sendInbound(inboundUrl, phone, 'ACK');
    expect(await again.text()).toContain('already acknowledged or closed');
  });
});
