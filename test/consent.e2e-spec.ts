import {
  ApiClient,
  LiveKitDouble,
  TestStack,
  createOrganization,
  createUser,
  waitFor,
} from '@homeward/testing';
import { ReceiptingDevice, bpMessage } from './mqtt-helpers';

interface Consent {
  id: string;
  scope: string;
  status: string;
  method: string;
}

/**
 * Consent as a patient's device and a clinician see it: a revoked consent to monitoring stops
 * the next batch (rejected with `no_consent` receipts, nothing stored), recording it again
 * resumes storing, and a video visit needs consent to video visits.
 */
describe('patient consent (api and ingest processes; PostgreSQL, Mosquitto, a LiveKit double)', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let coordinator: ApiClient;
  let admin: ApiClient;
  let patientId: string;
  let device: ReceiptingDevice;

  const storedReadings = async (messageId: string) =>
    Number(
      (
        await stack.database.pool.query<{ count: string }>(
          'SELECT count(*) FROM readings WHERE patient_id = $1 AND message_id = $2',
          [patientId, messageId],
        )
      ).rows[0].count,
    );

  /** Sends one message and waits for its receipt. */
  const sendAndReceipt = async (messageId: string) => {
    device.send([{ messageId, body: bpMessage(messageId, 128, 82) }]);
    await waitFor(async () => Promise.resolve((device.receipts.get(messageId)?.length ?? 0) > 0), {
      what: `the receipt of ${messageId}`,
      timeoutMs: 15_000,
    });
    return device.receipts.get(messageId)![0];
  };

  const consents = async (patient: string) =>
    (await coordinator.request<{ items: Consent[] }>('GET', `/api/patients/${patient}/consents`)).body.items;

  beforeAll(async () => {
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({ apps: ['api', 'ingest'], env: { ...livekit.env() } });
    const organization = await createOrganization(stack.database.pool, 'Consent Org');
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    coordinator = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const adminUser = await createUser(stack.database.pool, organization, 'admin');
    admin = await new ApiClient(stack.apiUrl).login(adminUser.email, adminUser.password);
    patientId = (await coordinator.createPatient('Consent', 'Ida')).id;
    const registered = await coordinator.registerDevice(patientId, 'bp_cuff');
    device = await ReceiptingDevice.connect(stack.broker.url, registered);
  });

  afterAll(async () => {
    await device?.close();
    await stack?.stop();
    await livekit?.stop();
  });

  it('stores readings while the patient consents to monitoring', async () => {
    expect(await sendAndReceipt('before-revoke')).toMatchObject({ status: 'stored' });
    expect(await storedReadings('before-revoke')).toBe(3);
  });

  it('rejects the next batch with no_consent receipts once the consent is revoked, storing nothing', async () => {
    const monitoring = (await consents(patientId)).find(
      (c) => c.scope === 'rpm_monitoring' && c.status === 'active',
    )!;
    const revoked = await coordinator.request<Consent>(
      'POST',
      `/api/patients/${patientId}/consents/${monitoring.id}/revoke`,
      { reason: 'Patient asked to stop monitoring' },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');

    expect(await sendAndReceipt('after-revoke')).toMatchObject({ status: 'rejected', reason: 'no_consent' });
    expect(await storedReadings('after-revoke')).toBe(0);
    const rejection = await stack.database.pool.query(
      "SELECT 1 FROM reading_rejections WHERE reason = 'no_consent' AND message_id = 'after-revoke'",
    );
    expect(rejection.rowCount).toBe(1);

    const again = await coordinator.request<{ code: string }>(
      'POST',
      `/api/patients/${patientId}/consents/${monitoring.id}/revoke`,
      { reason: 'twice' },
    );
    expect(again.status).toBe(409);
  });

  it('stores readings again once consent to monitoring is recorded again', async () => {
    const recorded = await coordinator.request<Consent>('POST', `/api/patients/${patientId}/consents`, {
      scope: 'rpm_monitoring',
      method: 'written',
      documentReference: 'consent-form-2.pdf',
    });
    expect(recorded.status).toBe(201);
    expect(await sendAndReceipt('after-rerecord')).toMatchObject({ status: 'stored' });
    expect(await storedReadings('after-rerecord')).toBe(3);
  });

  it('refuses legacy and future consents from the API, and recording by an admin', async () => {
    const post = (client: ApiClient, body: Record<string, unknown>) =>
      client.request('POST', `/api/patients/${patientId}/consents`, body);
    expect((await post(coordinator, { scope: 'video_visits', method: 'legacy' })).status).toBe(400);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect(
      (await post(coordinator, { scope: 'video_visits', method: 'verbal', givenAt: tomorrow })).status,
    ).toBe(400);
    expect((await post(admin, { scope: 'video_visits', method: 'verbal' })).status).toBe(403);
  });

  it('answers 409 no_consent to a video visit for a patient without video consent, 201 once recorded', async () => {
    const patient = (await coordinator.createPatient('No', 'Video', { consent: false })).id;
    const refused = await coordinator.request<{ code: string }>('POST', '/api/visits', {
      patientId: patient,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('no_consent');
    expect(
      (
        await coordinator.request('POST', `/api/patients/${patient}/consents`, {
          scope: 'video_visits',
          method: 'verbal',
        })
      ).status,
    ).toBe(201);
    expect((await coordinator.request('POST', '/api/visits', { patientId: patient })).status).toBe(201);
  });
});
