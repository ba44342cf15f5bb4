import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ApiClient,
  CHROMIUM_PATH,
  LiveKitDouble,
  TestStack,
  bloodPressure,
  createOrganization,
  createUser,
  freePort,
  saveScreenshot,
  seriousAccessibilityViolations,
  signIn,
  storeReadingBatch,
  waitFor,
  type TestUser,
} from '@homeward/testing';

/**
 * A stand-in for LiveKit's signalling endpoint. No LiveKit server can run on these machines (it
 * is in neither package registry), so this loopback server only records the WebSocket upgrade
 * a browser sends to `{LIVEKIT_URL}/rtc` (livekit-client asks for `/rtc/v1`, then `/rtc`) with
 * its `access_token`, and closes it: the test checks what the console sends LiveKit, not a call.
 */
class SignallingStandIn {
  readonly upgrades: URL[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<SignallingStandIn> {
    const port = await freePort();
    const server = createServer((_request, response) => response.writeHead(404).end());
    const standIn = new SignallingStandIn(server, port);
    server.on('upgrade', (request: { url?: string }, socket: Socket) => {
      standIn.upgrades.push(new URL(request.url ?? '/', `ws://127.0.0.1:${port}`));
      socket.destroy();
    });
    server.on('connection', (socket: Socket) => {
      standIn.sockets.add(socket);
      socket.on('close', () => standIn.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return standIn;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The token of the first `/rtc` upgrade after `since` upgrades, once the browser sent one. */
  async tokenAfter(since: number): Promise<string> {
    return waitFor(
      () => {
        const upgrade = this.upgrades.slice(since).find((url) => url.pathname.startsWith('/rtc'));
        return upgrade?.searchParams.get('access_token') ?? undefined;
      },
      {
        what: 'the browser to open LiveKit’s /rtc signalling socket (the console’s CSP must allow LIVEKIT_URL)',
        timeoutMs: 20_000,
      },
    );
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface CreatedVisit {
  id: string;
  roomName: string;
  status: string;
  patientLink: { url: string; expiresAt: string };
}

/**
 * Video visits in Debian's Chromium with a fake camera and microphone, against the built api
 * process: a clinician starts a visit from an alert and the visit page connects to LiveKit with
 * a token for that room; the patient's page on a phone-sized screen checks the devices and joins
 * with the link; used and unknown links get a plain page; axe finds no serious violation.
 */
describe('video visits in a real browser', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let signalling: SignallingStandIn;
  let browser: Browser;
  let clinician: TestUser;
  let api: ApiClient;
  let patientId: string;
  let alertId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Answers a test expects to fail (a used or unknown code), which Chromium logs as errors. */
  const expectedFailures = new Set<string>();

  /** What a page logged as an error, but the stand-in refusing the call (it is not LiveKit). */
  const watch = (page: Page): Page => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const where = `${text} ${message.location().url}`;
      // The stand-in closes every socket; a CSP refusal of LiveKit's URL is a real failure.
      const standInRefusal =
        where.includes(`127.0.0.1:${signalling.port}`) && !/Content Security Policy/i.test(where);
      const expected = [...expectedFailures].some((url) => where.includes(url));
      if (!standInRefusal && !expected) pageErrors.push(where);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };

  const newContext = async (viewport: { width: number; height: number }, isMobile = false) => {
    const context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport,
      isMobile,
      hasTouch: isMobile,
      timezoneId: 'Europe/London',
      locale: 'en-GB',
    });
    contexts.push(context);
    return context;
  };

  const verify = (token: string): Promise<ClaimGrants> =>
    new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(token);

  const createVisit = async (): Promise<CreatedVisit> => {
    const created = await api.request<CreatedVisit>('POST', '/api/visits', { patientId });
    expect(created.status).toBe(201);
    return created.body;
  };

  /** The patient's page on a 390 × 844 phone screen. */
  const openPatientPage = async (url: string): Promise<Page> => {
    const context = await newContext({ width: 390, height: 844 }, true);
    const page = watch(await context.newPage());
    await page.goto(url);
    return page;
  };

  afterEach(() => {
    expectedFailures.clear();
    // No failed request (other than the stand-in's refusal), no CSP refusal, no React warning.
    expect(pageErrors.splice(0)).toEqual([]);
  });

  beforeAll(async () => {
    [livekit, signalling] = await Promise.all([LiveKitDouble.start(), SignallingStandIn.start()]);
    stack = await TestStack.start({
      apps: ['api'],
      env: {
        LOGIN_RATE_LIMIT: '1000',
        ...livekit.env(),
        // Browsers connect to the signalling stand-in; the API calls the RoomService double.
        LIVEKIT_URL: signalling.url,
        LIVEKIT_API_URL: `http://127.0.0.1:${livekit.port}`,
      },
    });
    const pool = stack.database.pool;
    const organization = await createOrganization(pool, 'Visits Org');
    clinician = await createUser(pool, organization, 'clinician');
    api = await new ApiClient(stack.apiUrl).login(clinician.email, clinician.password);
    const coordinatorUser = await createUser(pool, organization, 'coordinator');
    const coordinator = await new ApiClient(stack.apiUrl).login(
      coordinatorUser.email,
      coordinatorUser.password,
    );
    patientId = (await coordinator.createPatient('Ada', 'Lovelace')).id;
    const device = (await coordinator.registerDevice(patientId, 'bp_cuff')).id;
    const measuredAt = new Date(Date.now() - 600_000);
    const batch = await storeReadingBatch(
      pool,
      { patient: patientId, device },
      bloodPressure(186, 95, measuredAt).map((reading) => ({ ...reading, messageId: 'bp-crisis' })),
    );
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'default.bp.crisis', 'threshold', 'Systolic 186 mm[Hg] >= 180', 'critical',
               'blood_pressure_systolic', 186, 'mm[Hg]', $3, $4, 'bp-crisis', $5, 'test', 'bp.high', 186, $3)
       RETURNING id`,
      [organization, patientId, measuredAt, device, batch],
    );
    alertId = rows[0].id;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        // A generated camera picture and microphone tone, allowed without a prompt.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
    await Promise.all([livekit?.stop(), signalling?.stop()]);
  });

  it('starts a visit from an alert: the page joins the room with a clinician token and shows the patient waiting', async () => {
    const context = await newContext({ width: 1280, height: 800 });
    const page = watch(await context.newPage());
    await page.goto(`/alerts/${alertId}`);
    await signIn(page, clinician);
    const details = page.locator('aside.alert-details');
    await details.getByText('No visit about this alert yet.').waitFor();
    const before = signalling.upgrades.length;
    await details.getByRole('button', { name: 'Start video visit' }).click();
    await page.getByRole('heading', { name: 'Video visit with Ada Lovelace' }).waitFor();
    const visitId = /\/visits\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    const visit = await api.request<{ roomName: string; alertId: string; status: string }>(
      'GET',
      `/api/visits/${visitId}`,
    );
    expect(visit.body.alertId).toBe(alertId);

    const grants = await verify(await signalling.tokenAfter(before));
    expect(grants.video).toMatchObject({
      room: visit.body.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
    });
    expect(grants.video?.roomAdmin).toBeFalsy();
    expect(grants.video?.roomCreate).toBeFalsy();
    expect(grants.video?.roomRecord).toBeFalsy();
    expect(grants.video?.roomList).toBeFalsy();
    // An opaque identity, never the clinician's account, and a short first-connection window.
    expect(grants.sub).toBeTruthy();
    expect(JSON.stringify(grants)).not.toContain(clinician.email);
    expect((grants.exp ?? 0) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);

    // The patient's link to send, with the patient's latest vitals and open alert beside the video.
    expect(await page.getByLabel('Link for the patient').inputValue()).toMatch(/\/visit\/join\?code=/);
    await page.getByText('186/95 mmHg').waitFor();
    await page
      .locator('.open-alerts li')
      .filter({ hasText: 'Critical' })
      .getByRole('link', { name: /186/ })
      .waitFor();
    await page.locator('.lk-control-bar').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The patient joins (LiveKit's webhook says so): "Patient is waiting" arrives over the socket.
    const code = new URL(await page.getByLabel('Link for the patient').inputValue()).searchParams.get('code');
    const joined = await new ApiClient(stack.apiUrl).request<{ token: string }>('POST', '/api/visits/join', {
      code,
    });
    expect(joined.status).toBe(200);
    const patientGrants = await verify(joined.body.token);
    const event = {
      id: `EV_${visitId}_patient`,
      event: 'participant_joined',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: visit.body.roomName },
      participant: { identity: patientGrants.sub, sid: 'PA_browser', joinedAtMs: String(Date.now()) },
    };
    const signed = await livekit.signWebhook(event);
    const hook = await fetch(`${stack.apiUrl}/api/livekit/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: signed.authorization },
      body: signed.body,
    });
    expect(hook.status).toBe(200);
    await page
      .locator('.visit-live-status[data-status="waiting"]', { hasText: 'Patient is waiting' })
      .waitFor();
    await saveScreenshot(page, 'visit-clinician');

    // Back on the alert: its visits are listed.
    await page.getByRole('link', { name: 'the alert it is about' }).click();
    await page
      .locator('aside.alert-details .visit-table tbody tr')
      .filter({ hasText: 'Patient is waiting' })
      .waitFor();
  });

  it('lets the patient check the camera and microphone on a phone, then join with the link', async () => {
    const visit = await createVisit();
    const page = await openPatientPage(visit.patientLink.url);
    await page.getByRole('heading', { name: 'Check your camera and microphone' }).waitFor();
    await page.locator('video[aria-label="Your camera"]').waitFor();
    await page.locator('meter#microphone-meter').waitFor();
    // Phone first: nothing wider than the screen, and a big Join button.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const join = page.getByRole('button', { name: 'Join' });
    expect((await join.boundingBox())?.height).toBeGreaterThanOrEqual(48);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'visit-patient-device-check');

    const before = signalling.upgrades.length;
    await join.click();
    const grants = await verify(await signalling.tokenAfter(before));
    expect(grants.video).toMatchObject({
      room: visit.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
    });
    expect(grants.video?.roomAdmin).toBeFalsy();
    expect(grants.video?.roomCreate).toBeFalsy();
    await page.locator('.lk-control-bar').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'visit-patient-call');
  });

  it("lists the patient's visits on the patient view: ongoing, then past with status and notes", async () => {
    const past = await createVisit();
    const path = `/api/visits/${past.id}`;
    expect(
      (await api.request('POST', `${path}/notes`, { text: 'Called instead: no camera at home' })).status,
    ).toBe(200);
    expect((await api.request('POST', `${path}/cancel`)).status).toBe(200);
    const ongoing = await createVisit();

    const context = await newContext({ width: 1280, height: 800 });
    const page = watch(await context.newPage());
    await page.goto(`/patients/${patientId}`);
    await signIn(page, clinician);
    const visits = page.getByRole('region', { name: 'Video visits' });
    await visits.getByRole('button', { name: 'Start video visit' }).waitFor();
    const pastRow = visits.locator(`tr:has(a[href="/visits/${past.id}"])`);
    await pastRow.filter({ hasText: 'Called instead: no camera at home' }).waitFor();
    expect(await pastRow.innerText()).toMatch(/Cancelled/);
    expect(await visits.locator(`tr:has(a[href="/visits/${ongoing.id}"])`).innerText()).toMatch(/Scheduled/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // From the list to the visit (not joined until asked), where an interpreter is invited.
    await visits.locator(`a[href="/visits/${ongoing.id}"]`).click();
    await page.getByRole('button', { name: 'Join the call' }).waitFor();
    await page.getByLabel('Invite a guest (interpreter, family caregiver)').fill('Interpreter');
    await page.getByRole('button', { name: 'Create link' }).click();
    const guestUrl = await page.getByLabel('Link for Interpreter').inputValue();
    const guest = await new ApiClient(stack.apiUrl).request<{ token: string }>('POST', '/api/visits/join', {
      code: new URL(guestUrl).searchParams.get('code'),
    });
    expect(guest.status).toBe(200);
    expect((await verify(guest.body.token)).video).toMatchObject({ room: ongoing.roomName, roomJoin: true });
    expect((await verify(guest.body.token)).video?.roomAdmin).toBeFalsy();

    // Booked for tomorrow afternoon from the patient view: the link to send is there at once.
    await page.goto(`/patients/${patientId}`);
    const [local, instant] = await page.evaluate(() => {
      const at = new Date(Date.now() + 86_400_000);
      at.setHours(14, 30, 0, 0);
      const pad = (n: number) => String(n).padStart(2, '0');
      const value = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T14:30`;
      return [value, at.toISOString()];
    });
    const schedule = page.getByRole('form', { name: 'Schedule a video visit' });
    await schedule.getByLabel('Date and time').fill(local);
    await schedule.getByRole('button', { name: 'Schedule' }).click();
    await page.getByLabel('Link for the patient').waitFor();
    const scheduledId = new URL(page.url()).pathname.split('/').pop();
    const scheduled = await api.request<{ status: string; scheduledFor: string }>(
      'GET',
      `/api/visits/${scheduledId}`,
    );
    expect(scheduled.body).toMatchObject({ status: 'scheduled', scheduledFor: instant });
    expect(await page.getByRole('button', { name: 'Join the call' }).count()).toBe(1);
  });

  it('explains a used link and an unknown link in plain words, never an error trace', async () => {
    const visit = await createVisit();
    const code = new URL(visit.patientLink.url).searchParams.get('code');
    expect((await new ApiClient(stack.apiUrl).request('POST', '/api/visits/join', { code })).status).toBe(
      200,
    );

    expectedFailures.add('/api/visits/join');
    const used = await openPatientPage(visit.patientLink.url);
    await used.getByRole('button', { name: 'Join' }).click();
    await used.getByRole('heading', { name: 'This link has already been used' }).waitFor();
    expect(await used.locator('main').innerText()).toMatch(/ask your care team to send you a new link/);
    expect(await seriousAccessibilityViolations(used)).toEqual([]);
    await saveScreenshot(used, 'visit-link-used');

    const unknown = await openPatientPage('/visit/join?code=not-a-real-code');
    await unknown.getByRole('button', { name: 'Join' }).click();
    await unknown.getByRole('heading', { name: 'We could not find this visit' }).waitFor();
    for (const page of [used, unknown]) {
      const text = await page.locator('body').innerText();
      expect(text).not.toMatch(/link_used|link_not_found|\b(404|410)\b|Error|at \w+ \(/);
      expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);
    }
  });
});
