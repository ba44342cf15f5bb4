import { randomUUID } from 'node:crypto';
import { TokenVerifier } from 'livekit-server-sdk';
import type { Principal } from '@homeward/access';
import {
  LiveKitDouble,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
} from '@homeward/testing';
import { VisitJoinService } from './links/visit-join.service';
import { VisitNoShowService } from './no-show/visit-no-show.service';
import { TelehealthModule } from './telehealth.module';
import { VisitService } from './visits/visit.service';
import { VisitWebhookService } from './webhooks/visit-webhook.service';

// No LiveKit server can be installed on these machines (it is in neither package registry), so
// these specs test against what livekit-server-sdk itself defines: tokens are read back with its
// TokenVerifier, webhooks are signed as its WebhookReceiver expects, and the RoomService is a
// loopback double that verifies each call's token as LiveKit does (LiveKitDouble).
describe('video visits (PostgreSQL, Redis, a LiveKit RoomService double)', () => {
  let integration: IntegrationModule;
  let livekit: LiveKitDouble;
  let visits: VisitService;
  let joins: VisitJoinService;
  let webhooks: VisitWebhookService;
  let noShow: VisitNoShowService;
  let organization: string;
  let clinician: Principal;
  let coordinator: Principal;
  let stranger: Principal;
  let patientId: string;

  const pool = () => integration.database.pool;
  const principal = (user: { id: string; organizationId: string; role: Principal['role'] }): Principal => ({
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
    requestId: `test-${randomUUID()}`,
  });
  const codeOf = (url: string) => new URL(url).searchParams.get('code') ?? '';
  const verify = (token: string) => new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(token);
  const visitRow = async (id: string) =>
    (
      await pool().query<{ status: string; ended_at: Date | null; started_at: Date | null }>(
        'SELECT status, ended_at, started_at FROM visits WHERE id = $1',
        [id],
      )
    ).rows[0];
  const identityOf = async (visitId: string, role: string) =>
    (
      await pool().query<{ identity: string }>(
        'SELECT identity FROM visit_participants WHERE visit_id = $1 AND role = $2 ORDER BY created_at LIMIT 1',
        [visitId, role],
      )
    ).rows[0].identity;
  const createdSeconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

  /** A webhook as LiveKit posts it, through the service as the controller hands it the raw body. */
  const post = async (event: Record<string, unknown>, secret?: string) => {
    const signed = await livekit.signWebhook({ id: `EV_${randomUUID()}`, ...event }, secret);
    return webhooks.receive(Buffer.from(signed.body), signed.authorization, 'test');
  };
  const participantEvent = (
    kind: 'participant_joined' | 'participant_left',
    room: string,
    identity: string,
    sid: string,
    at: Date,
  ) => ({
    event: kind,
    createdAt: createdSeconds(at),
    room: { name: room },
    participant: { identity, sid, joinedAtMs: String(at.getTime()) },
  });

  const createAlert = async (patient: string) =>
    (
      await pool().query<{ id: string }>(
        `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                             correlation_id, episode_key)
         VALUES ($1, $2, $3, 'threshold', 'test', 'critical', 'open', 'test', $3) RETURNING id`,
        [organization, patient, `rule.${randomUUID().slice(0, 8)}`],
      )
    ).rows[0].id;

  beforeAll(async () => {
    livekit = await LiveKitDouble.start();
    integration = await createIntegrationModule({
      role: 'api',
      imports: [TelehealthModule],
      env: {
        JWT_SECRET: 'telehealth-test-secret-0123456789abcdef',
        PUBLIC_URL: 'https://homeward.example.org',
        ...livekit.env(),
      },
    });
    visits = integration.moduleRef.get(VisitService);
    joins = integration.moduleRef.get(VisitJoinService);
    webhooks = integration.moduleRef.get(VisitWebhookService);
    noShow = integration.moduleRef.get(VisitNoShowService);
    organization = await createOrganization(pool(), 'Visits Org');
    clinician = principal(await createUser(pool(), organization, 'clinician'));
    coordinator = principal(await createUser(pool(), organization, 'coordinator'));
    const other = await createOrganization(pool(), 'Other Org');
    stranger = principal(await createUser(pool(), other, 'clinician'));
    patientId = await createPatient(pool(), organization);
  });

  afterAll(async () => {
    await integration?.close();
    await livekit?.stop();
  });

  beforeEach(() => livekit.simulateOutage('none'));

  it('creates the room once, under an opaque name, with an empty timeout and a participant limit', async () => {
    const before = livekit.callsTo('CreateRoom').length;
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    const calls = livekit.callsTo('CreateRoom').slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].grants.video?.roomCreate).toBe(true);
    expect(calls[0].body).toMatchObject({ name: visit.roomName, maxParticipants: 8, departureTimeout: 900 });
    expect(Number(calls[0].body.emptyTimeout)).toBeGreaterThanOrEqual(3600);
    expect(visit.roomName).toMatch(/^v_[0-9a-f]{32}$/);
    expect(visit.roomName).not.toContain(patientId.replaceAll('-', ''));
    expect(visit.status).toBe('scheduled');
    expect(patientLink.url).toMatch(
      /^https:\/\/homeward\.example\.org\/visit\/join\?code=[A-Za-z0-9_-]{43}$/,
    );
    const { rows } = await pool().query<{ code_hash: Buffer }>(
      'SELECT code_hash FROM visit_links WHERE visit_id = $1',
      [visit.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash.toString('hex')).not.toContain(
      Buffer.from(codeOf(patientLink.url)).toString('hex'),
    );
    const audit = await pool().query(
      `SELECT 1 FROM audit_events WHERE action = 'visit.create' AND resource_id = $1 AND actor_user_id = $2`,
      [visit.id, clinician.userId],
    );
    expect(audit.rowCount).toBe(1);
  });

  it.each(['unavailable', 'reset'] as const)(
    'answers 503 video_unavailable and writes nothing when LiveKit is out (%s)',
    async (outage) => {
      const count = async () => Number((await pool().query('SELECT count(*) FROM visits')).rows[0].count);
      const before = await count();
      livekit.simulateOutage(outage);
      await expect(visits.create(clinician, { patientId })).rejects.toMatchObject({
        status: 503,
        response: { code: 'video_unavailable' },
      });
      expect(await count()).toBe(before);
    },
  );

  it("refuses another organisation's patient and visit as not found", async () => {
    await expect(visits.create(stranger, { patientId })).rejects.toMatchObject({ status: 404 });
    const { visit } = await visits.create(clinician, { patientId });
    await expect(visits.get(stranger, visit.id)).rejects.toMatchObject({ status: 404 });
    await expect(joins.joinAsStaff(stranger, visit.id)).rejects.toMatchObject({ status: 404 });
    await expect(visits.end(stranger, visit.id)).rejects.toMatchObject({ status: 404 });
    await expect(visits.setNotes(stranger, visit.id, 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('gives staff a short token for this room only: join, publish, subscribe, nothing else, one identity each', async () => {
    const { visit } = await visits.create(clinician, { patientId });
    const joined = await joins.joinAsStaff(clinician, visit.id);
    expect(joined.url).toBe(livekit.url);
    const claims = await verify(joined.token);
    expect(claims.video).toEqual({
      room: visit.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      roomRecord: false,
    });
    expect(claims.name).toBe('Clinician');
    const { exp, nbf } = claims as { exp?: number; nbf?: number };
    expect((exp ?? 0) - (nbf ?? 0)).toBe(600);
    expect(Math.abs(joined.expiresAt.getTime() / 1000 - (exp ?? 0))).toBeLessThanOrEqual(2);
    const identity = (claims as { sub?: string }).sub ?? '';
    expect(identity).toMatch(/^p_[0-9a-f]{32}$/);
    const { rows } = await pool().query<{ user_id: string; role: string }>(
      'SELECT user_id, role FROM visit_participants WHERE identity = $1 AND visit_id = $2',
      [identity, visit.id],
    );
    expect(rows).toEqual([{ user_id: clinician.userId, role: 'clinician' }]);
    const again = await verify((await joins.joinAsStaff(clinician, visit.id)).token);
    expect((again as { sub?: string }).sub).toBe(identity);
    const coordinatorClaims = await verify((await joins.joinAsStaff(coordinator, visit.id)).token);
    expect((coordinatorClaims as { sub?: string }).sub).not.toBe(identity);
    expect(coordinatorClaims.name).toBe('Care coordinator');
  });

  it('lets a patient in once with their link, then answers link_used; unknown codes link_not_found', async () => {
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    const code = codeOf(patientLink.url);
    const joined = await joins.redeem(code, 'test');
    expect(joined).toMatchObject({ visitId: visit.id, roomName: visit.roomName, url: livekit.url });
    const claims = await verify(joined.token);
    expect(claims.video).toMatchObject({
      room: visit.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
    });
    expect(claims.video?.roomAdmin).toBe(false);
    expect(claims.name).toBe('Patient');
    expect((claims as { sub?: string }).sub).toBe(await identityOf(visit.id, 'patient'));
    await expect(joins.redeem(code, 'test')).rejects.toMatchObject({
      status: 410,
      response: { code: 'link_used' },
    });
    await expect(joins.redeem('A'.repeat(43), 'test')).rejects.toMatchObject({
      status: 404,
      response: { code: 'link_not_found' },
    });
    await expect(joins.redeem('not a code', 'test')).rejects.toMatchObject({ status: 404 });
    const denied = await pool().query(
      `SELECT actor_role FROM audit_events WHERE action = 'visit.link.redeem' AND resource_id = $1 ORDER BY id`,
      [visit.id],
    );
    expect(denied.rows.map((row: { actor_role: string }) => row.actor_role)).toEqual(['patient', 'patient']);
  });

  it('answers link_expired for an expired link, one replaced by a newer one, or one of an ended visit', async () => {
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    const replacement = await visits.issueLinkFor(clinician, visit.id, 'patient', null);
    await expect(joins.redeem(codeOf(patientLink.url), 'test')).rejects.toMatchObject({
      status: 410,
      response: { code: 'link_expired', reason: 'voided' },
    });
    await pool().query(
      `UPDATE visit_links SET expires_at = now() - interval '1 second' WHERE visit_id = $1`,
      [visit.id],
    );
    await expect(joins.redeem(codeOf(replacement.url), 'test')).rejects.toMatchObject({
      status: 410,
      response: { code: 'link_expired', reason: 'expired' },
    });
    const guest = await visits.issueLinkFor(clinician, visit.id, 'guest', 'Interpreter');
    await visits.cancel(clinician, visit.id);
    await expect(joins.redeem(codeOf(guest.url), 'test')).rejects.toMatchObject({
      status: 410,
      response: { code: 'link_expired', reason: 'visit_closed' },
    });
  });

  it('admits a guest with their label as display name and the guest role', async () => {
    const { visit } = await visits.create(clinician, { patientId });
    const guest = await visits.issueLinkFor(clinician, visit.id, 'guest', 'Interpreter');
    const claims = await verify((await joins.redeem(codeOf(guest.url), 'test')).token);
    expect(claims.name).toBe('Interpreter');
    const { rows } = await pool().query('SELECT role, label FROM visit_participants WHERE identity = $1', [
      (claims as { sub?: string }).sub,
    ]);
    expect(rows).toEqual([{ role: 'guest', label: 'Interpreter' }]);
  });

  it('refuses a forged webhook (401), audits it and changes nothing', async () => {
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    await joins.redeem(codeOf(patientLink.url), 'test');
    const identity = await identityOf(visit.id, 'patient');
    const event = participantEvent('participant_joined', visit.roomName, identity, 'PA_forged', new Date());
    await expect(post(event, 'x'.repeat(48))).rejects.toMatchObject({
      status: 401,
      response: { code: 'invalid_signature' },
    });
    const signed = await livekit.signWebhook({ id: 'EV_tampered', ...event });
    const tampered = signed.body.replace(visit.roomName, `${visit.roomName}x`);
    await expect(webhooks.receive(Buffer.from(tampered), signed.authorization, 'test')).rejects.toMatchObject(
      {
        status: 401,
      },
    );
    await expect(webhooks.receive(Buffer.from(signed.body), undefined, 'test')).rejects.toMatchObject({
      status: 401,
    });
    expect((await visitRow(visit.id)).status).toBe('scheduled');
    const sessions = await pool().query(
      'SELECT 1 FROM visit_participant_sessions s JOIN visit_participants p ON p.id = s.participant_id WHERE p.visit_id = $1',
      [visit.id],
    );
    expect(sessions.rowCount).toBe(0);
    const audited = await pool().query(
      `SELECT organization_id, outcome FROM audit_events WHERE action = 'visit.webhook.rejected' AND request_id = 'test'`,
    );
    expect(audited.rows.length).toBeGreaterThanOrEqual(3);
    expect(audited.rows[0]).toEqual({ organization_id: null, outcome: 'denied' });
  });

  it('follows the room: waiting, in progress, idempotent on replays, tolerant of a leave before its join', async () => {
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    await joins.redeem(codeOf(patientLink.url), 'test');
    await joins.joinAsStaff(clinician, visit.id);
    const patient = await identityOf(visit.id, 'patient');
    const staff = await identityOf(visit.id, 'clinician');
    // LiveKit stamps events in whole seconds.
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 600_000);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    expect(await post(participantEvent('participant_joined', visit.roomName, patient, 'PA_p1', at(0)))).toBe(
      'applied',
    );
    expect((await visitRow(visit.id)).status).toBe('waiting');
    const staffJoin = {
      id: 'EV_staff_join_1',
      ...participantEvent('participant_joined', visit.roomName, staff, 'PA_s1', at(60)),
    };
    const signed = await livekit.signWebhook(staffJoin);
    expect(await webhooks.receive(Buffer.from(signed.body), signed.authorization, 'test')).toBe('applied');
    expect(await webhooks.receive(Buffer.from(signed.body), signed.authorization, 'test')).toBe('duplicate');
    expect((await visitRow(visit.id)).status).toBe('in_progress');

    // The patient's connection drops: the leave of the second connection arrives before its join.
    await post(participantEvent('participant_left', visit.roomName, patient, 'PA_p1', at(120)));
    await post({ ...participantEvent('participant_left', visit.roomName, patient, 'PA_p2', at(300)) });
    await post(participantEvent('participant_joined', visit.roomName, patient, 'PA_p2', at(180)));
    const { rows } = await pool().query<{ joined_at: Date; left_at: Date; seconds: number }>(
      `SELECT joined_at, left_at, seconds FROM visit_participants WHERE identity = $1`,
      [patient],
    );
    expect(rows[0]).toEqual({ joined_at: at(0), left_at: at(300), seconds: 240 });
    expect((await visitRow(visit.id)).status).toBe('in_progress');

    // The room finishes with the clinician still marked present: closed at the room's end.
    await post({
      event: 'room_finished',
      createdAt: createdSeconds(at(400)),
      room: { name: visit.roomName },
    });
    const done = await visits.get(clinician, visit.id);
    expect(done.visit).toMatchObject({ status: 'completed', startedAt: at(0), endedAt: at(400) });
    const clinicianRow = done.participants.find((p) => p.role === 'clinician');
    expect(clinicianRow).toMatchObject({ joinedAt: at(60), leftAt: at(400), seconds: 340 });
    // Care time: clinician and patient together from 60 s to 120 s and from 180 s to 300 s.
    const care = await pool().query(
      `SELECT kind, interactive, seconds, performed_by FROM care_time_entries WHERE visit_id = $1`,
      [visit.id],
    );
    expect(care.rows).toEqual([
      { kind: 'video_visit', interactive: true, seconds: 180, performed_by: clinician.userId },
    ]);
  });

  it("ignores an identity of one visit reported in another visit's room, and rooms that are not ours", async () => {
    const first = await visits.create(clinician, { patientId });
    const second = await visits.create(clinician, { patientId });
    await joins.redeem(codeOf(first.patientLink.url), 'test');
    const identity = await identityOf(first.visit.id, 'patient');
    expect(
      await post(participantEvent('participant_joined', second.visit.roomName, identity, 'PA_x', new Date())),
    ).toBe('ignored');
    expect(
      await post(participantEvent('participant_joined', 'v_not_ours', identity, 'PA_y', new Date())),
    ).toBe('ignored');
    expect((await visitRow(second.visit.id)).status).toBe('scheduled');
    expect((await visitRow(first.visit.id)).status).toBe('scheduled');
  });

  it('ends a visit by removing everyone still connected and deleting the room', async () => {
    const { visit } = await visits.create(clinician, { patientId });
    livekit.connect(visit.roomName, 'p_someone');
    livekit.connect(visit.roomName, 'p_someone_else');
    const ended = await visits.end(clinician, visit.id);
    expect(ended.status).toBe('completed');
    // Nobody met: no care time.
    expect(
      (await pool().query('SELECT 1 FROM care_time_entries WHERE visit_id = $1', [visit.id])).rowCount,
    ).toBe(0);
    const removed = livekit.callsTo('RemoveParticipant').filter((call) => call.body.room === visit.roomName);
    expect(removed.map((call) => call.body.identity).sort()).toEqual(['p_someone', 'p_someone_else']);
    expect(
      removed.every((call) => call.grants.video?.roomAdmin && call.grants.video.room === visit.roomName),
    ).toBe(true);
    expect(livekit.callsTo('DeleteRoom').filter((call) => call.body.room === visit.roomName)).toHaveLength(1);
    expect(livekit.rooms.has(visit.roomName)).toBe(false);
    await expect(visits.end(clinician, visit.id)).rejects.toMatchObject({
      status: 409,
      response: { code: 'visit_closed' },
    });
  });

  it('closes at the staff end whoever LiveKit reports afterwards, and counts care time once', async () => {
    const { visit, patientLink } = await visits.create(clinician, { patientId });
    await joins.redeem(codeOf(patientLink.url), 'test');
    await joins.joinAsStaff(clinician, visit.id);
    const patient = await identityOf(visit.id, 'patient');
    const staff = await identityOf(visit.id, 'clinician');
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
    await post(participantEvent('participant_joined', visit.roomName, patient, 'PA_e1', t0));
    await post(
      participantEvent('participant_joined', visit.roomName, staff, 'PA_e2', new Date(t0.getTime() + 30_000)),
    );
    const ended = await visits.end(clinician, visit.id);
    const endedAt = ended.endedAt as Date;
    // LiveKit's own view arrives after: the leaves and the room's end, a little later.
    const later = new Date(endedAt.getTime() + 5_000);
    expect(
      await post({
        event: 'room_finished',
        createdAt: createdSeconds(later),
        room: { name: visit.roomName },
      }),
    ).toBe('ignored');
    await post(participantEvent('participant_left', visit.roomName, patient, 'PA_e1', later));
    const detail = await visits.get(clinician, visit.id);
    expect(detail.visit.status).toBe('completed');
    expect(detail.visit.endedAt).toEqual(endedAt);
    expect(detail.participants.map((p) => p.leftAt)).toEqual([endedAt, endedAt]);
    const care = await pool().query<{ seconds: number }>(
      'SELECT seconds FROM care_time_entries WHERE visit_id = $1',
      [visit.id],
    );
    expect(care.rows).toHaveLength(1);
    expect(care.rows[0].seconds).toBe(Math.floor((endedAt.getTime() - t0.getTime() - 30_000) / 1000));
  });

  it('leaves the visit as it was when LiveKit is out at the end', async () => {
    const { visit } = await visits.create(clinician, { patientId });
    livekit.simulateOutage('unavailable');
    await expect(visits.end(clinician, visit.id)).rejects.toMatchObject({ status: 503 });
    expect((await visitRow(visit.id)).status).toBe('scheduled');
  });

  it("records a visit started from an alert in the alert's history, and refuses another patient's alert", async () => {
    const alertId = await createAlert(patientId);
    const { visit } = await visits.create(clinician, { patientId, alertId });
    const history = await pool().query<{ action: string; detail: unknown; actor_user_id: string }>(
      `SELECT action, detail, actor_user_id FROM alert_events WHERE alert_id = $1`,
      [alertId],
    );
    expect(history.rows).toEqual([
      { action: 'video_visit', detail: { visitId: visit.id }, actor_user_id: clinician.userId },
    ]);
    const listed = await visits.list(clinician, { alertId, limit: 10, offset: 0 });
    expect(listed.map((row) => row.id)).toEqual([visit.id]);
    const otherPatient = await createPatient(pool(), organization);
    const before = livekit.rooms.size;
    await expect(visits.create(clinician, { patientId: otherPatient, alertId })).rejects.toMatchObject({
      status: 404,
    });
    expect(livekit.rooms.size).toBe(before);
  });

  it('marks a visit missed when no patient came, with the alert history and a notification to its clinician', async () => {
    const alertId = await createAlert(patientId);
    const scheduledFor = new Date(Date.now() - 20 * 60_000).toISOString();
    const { visit } = await visits.create(clinician, { patientId, alertId, scheduledFor });
    const untouched = await visits.create(clinician, { patientId });
    expect(await noShow.check(untouched.visit.id, 'test')).toBe(false);
    expect(await noShow.check(visit.id, 'test')).toBe(true);
    expect(await noShow.check(visit.id, 'test')).toBe(false);
    expect((await visitRow(visit.id)).status).toBe('missed');
    expect((await visitRow(untouched.visit.id)).status).toBe('scheduled');
    const history = await pool().query(`SELECT action FROM alert_events WHERE alert_id = $1 ORDER BY id`, [
      alertId,
    ]);
    expect(history.rows).toEqual([{ action: 'video_visit' }, { action: 'video_visit_missed' }]);
    const notified = await pool().query(
      `SELECT recipient_user_id, kind, payload FROM notification_outbox WHERE alert_id = $1`,
      [alertId],
    );
    expect(notified.rows).toEqual([
      { recipient_user_id: clinician.userId, kind: 'visit.missed', payload: { visitId: visit.id } },
    ]);
  });

  it('sweeps up overdue visits whose no-show job was lost, and leaves the others', async () => {
    const scheduledFor = new Date(Date.now() - 20 * 60_000).toISOString();
    const lost = await visits.create(clinician, { patientId, scheduledFor });
    const later = await visits.create(clinician, {
      patientId,
      scheduledFor: new Date(Date.now() + 60 * 60_000).toISOString(),
    });
    expect(await noShow.sweep()).toBeGreaterThanOrEqual(1);
    expect((await visitRow(lost.visit.id)).status).toBe('missed');
    expect((await visitRow(later.visit.id)).status).toBe('scheduled');
  });

  it('does not miss a visit whose patient joined, even after the deadline', async () => {
    const scheduledFor = new Date(Date.now() - 20 * 60_000).toISOString();
    const { visit, patientLink } = await visits.create(clinician, { patientId, scheduledFor });
    await joins.redeem(codeOf(patientLink.url), 'test');
    const patient = await identityOf(visit.id, 'patient');
    await post(participantEvent('participant_joined', visit.roomName, patient, 'PA_late', new Date()));
    await post(participantEvent('participant_left', visit.roomName, patient, 'PA_late', new Date()));
    expect((await visitRow(visit.id)).status).toBe('scheduled');
    expect(await noShow.check(visit.id, 'test')).toBe(false);
  });
});
