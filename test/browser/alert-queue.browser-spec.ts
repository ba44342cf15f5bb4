import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import type { AlertDto } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  saveScreenshot,
  seriousAccessibilityViolations,
  signInToConsole,
  sleep,
  waitFor,
  waitVisible,
  type ConsoleSession,
  type TestUser,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from '../mqtt-helpers';

/**
 * The live alert queue in Debian's Chromium, against the built platform (api, ingest and worker
 * processes over PostgreSQL, Redis and Mosquitto): readings published by a device over MQTT reach
 * open consoles without a reload, and what one coordinator does, every other console sees.
 */
describe('the live alert queue in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let coordinator: TestUser;
  let colleague: TestUser;
  let stranger: TestUser;
  let api: ApiClient;
  let maria: { patientId: string; deviceId: string; mqtt: MqttClient };
  let first: ConsoleSession;
  let strangers: ConsoleSession;
  const devices: MqttClient[] = [];
  const sessions: ConsoleSession[] = [];

  /** A patient of the coordinator's organisation with a blood-pressure cuff online. */
  const patientWithCuff = async (givenName: string, familyName: string) => {
    const patient = await api.createPatient(givenName, familyName);
    const device = await api.registerDevice(patient.id, 'bp_cuff');
    const mqtt = await connectDevice(stack.broker.url, device);
    devices.push(mqtt);
    return { patientId: patient.id, deviceId: device.id, mqtt };
  };

  const open = async (user: TestUser) => {
    const session = await signInToConsole(browser, stack.apiUrl, user);
    sessions.push(session);
    await waitVisible(session.page.getByText('Connection: Live'));
    return session;
  };

  const row = (session: ConsoleSession, patientName: string) =>
    session.page.locator('tbody tr', { hasText: patientName });

  const alertOf = async (patientId: string) =>
    waitFor(
      async () =>
        (
          await api.request<{ items: AlertDto[] }>(
            'GET',
            `/api/alerts?patientId=${patientId}&status=pending_confirmation,open`,
          )
        ).body.items[0],
      { what: `the alert of patient ${patientId}`, timeoutMs: 15_000 },
    );

  beforeAll(async () => {
    // Every browser session signs in from 127.0.0.1: more than the default 10 logins a minute.
    stack = await TestStack.start({ apps: ['api', 'ingest', 'worker'], env: { LOGIN_RATE_LIMIT: '100' } });
    const organization = await createOrganization(stack.database.pool, 'Riverside Care');
    const elsewhere = await createOrganization(stack.database.pool, 'Elsewhere Health');
    coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    colleague = await createUser(stack.database.pool, organization, 'coordinator');
    stranger = await createUser(stack.database.pool, elsewhere, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const session of sessions) await session.context.close();
    await browser?.close();
    for (const mqtt of devices) await mqtt.endAsync();
    await stack?.stop();
  });

  it('signs in through an accessible form and shows who is signed in, their role and organisation', async () => {
    const context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(coordinator.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitVisible(page.getByRole('alert').filter({ hasText: 'Wrong email or password' }));
    await context.close();

    const session = await open(coordinator);
    const header = session.page.locator('header');
    await waitVisible(header.getByText('Test coordinator'));
    expect(await header.innerText()).toMatch(/Care coordinator · Riverside Care/);
  });

  it("shows a device's critical reading in open consoles of the organisation without a reload, and never to another organisation", async () => {
    first = await open(coordinator);
    strangers = await open(stranger);
    const other = strangers;
    await first.page.evaluate('window.__notReloaded = true');
    maria = await patientWithCuff('Maria', 'Alvarez');

    await publishRaw(maria.mqtt, maria.deviceId, bpMessage('crisis-1', 186, 124));

    const mariaRow = row(first, 'Maria Alvarez');
    await waitVisible(mariaRow);
    const text = await mariaRow.innerText();
    expect(text).toContain('Critical');
    expect(text).toContain('Systolic 186 mmHg ≥ 180');
    // A crisis first asks the patient to re-measure; it is in the queue meanwhile.
    expect(text).toContain('Awaiting re-measurement');
    expect(text).toMatch(/just now|1 min ago/);
    expect(text).toContain('Nobody');
    expect(await first.page.evaluate('window.__notReloaded')).toBe(true);
    // Screen readers hear it too.
    expect(await first.page.locator('[aria-live="assertive"]').textContent()).toBe(
      'New critical alert: Systolic 186 mmHg ≥ 180',
    );

    await sleep(1000);
    expect(await other.page.locator('tbody tr').count()).toBe(0);
    expect(await other.page.getByText('Maria Alvarez').count()).toBe(0);
    expect(first.errors.filter((error) => /Content Security Policy/i.test(error))).toEqual([]);
  });

  it('shows one coordinator acknowledging and assigning in every other open console', async () => {
    const mine = first;
    const theirs = await open(colleague);
    const alert = await alertOf(maria.patientId);
    await waitVisible(row(theirs, 'Maria Alvarez'));

    await row(mine, 'Maria Alvarez').getByRole('button', { name: 'Acknowledge' }).click();

    await waitVisible(row(theirs, 'Maria Alvarez').getByText('Acknowledged'));
    await waitVisible(row(mine, 'Maria Alvarez').getByText('Acknowledged'));
    await row(theirs, 'Maria Alvarez').getByRole('button', { name: 'Details' }).click();
    const details = theirs.page.getByRole('complementary');
    await details.getByLabel('Assign to').selectOption({ label: `Me (Test coordinator) · coordinator` });
    await details.getByRole('button', { name: 'Assign' }).click();
    await waitVisible(row(mine, 'Maria Alvarez').getByText('Test coordinator'));
    const resolved = await api.request('POST', `/api/alerts/${alert.id}/resolve`, {
      reason: 'Called the patient',
    });
    expect(resolved.status).toBe(200);
    await waitVisible(theirs.page.getByText('No alerts match these filters.'));
  });

  it('tells a coordinator whose queue is out of date that someone else acted first (409)', async () => {
    const lena = await patientWithCuff('Lena', 'Fischer');
    await publishRaw(lena.mqtt, lena.deviceId, bpMessage('crisis-lena', 184, 100));
    const alert = await alertOf(lena.patientId);
    // A console whose socket never gets through: it shows the queue as it was when it loaded.
    const stale = await signInToConsole(browser, stack.apiUrl, colleague, {
      prepare: (page) => page.routeWebSocket(/socket\.io/, () => undefined),
    });
    sessions.push(stale);
    await waitVisible(row(stale, 'Lena Fischer'));
    expect((await api.request('POST', `/api/alerts/${alert.id}/acknowledge`)).status).toBe(200);

    await row(stale, 'Lena Fischer').getByRole('button', { name: 'Acknowledge' }).click();

    await waitVisible(
      row(stale, 'Lena Fischer')
        .getByRole('alert')
        .filter({ hasText: 'Someone may have acted first: the alert is now acknowledged' }),
    );
  });

  it('notes, escalates and dismisses with a reason from the alert details, seen at once by a colleague', async () => {
    const theirs = await open(colleague);
    await waitVisible(row(first, 'Lena Fischer'));
    await row(first, 'Lena Fischer').getByRole('button', { name: 'Details' }).click();
    const details = first.page.getByRole('complementary');
    await waitVisible(details.getByText('Systolic 184 mmHg ≥ 180'));
    expect(await details.getByRole('button', { name: 'Snooze' }).isDisabled()).toBe(true);

    await details.getByLabel('Note').fill('Left a voicemail for the patient');
    await details.getByRole('button', { name: 'Add note' }).click();
    await waitVisible(details.getByText('Left a voicemail for the patient'));
    await details.getByRole('button', { name: 'Escalate' }).click();
    await waitVisible(row(theirs, 'Lena Fischer').getByText('Escalated'));
    expect(await seriousAccessibilityViolations(first.page)).toEqual([]);
    await saveScreenshot(first.page, 'alert-queue-details');

    await details.getByLabel('Reason to resolve or dismiss').fill('Cuff worn over clothing');
    await details.getByRole('button', { name: 'Dismiss' }).click();
    await waitFor(async () => (await row(theirs, 'Lena Fischer').count()) === 0, {
      what: 'the dismissed alert to leave the colleague’s queue',
    });
    await theirs.page.getByLabel('Status').selectOption('dismissed');
    await waitVisible(row(theirs, 'Lena Fischer').getByText('Dismissed'));
  });

  it('is operable with the keyboard alone: tab to a row action and press Enter', async () => {
    const session = await open(coordinator);
    const samuel = await patientWithCuff('Samuel', 'Brooks');
    await publishRaw(samuel.mqtt, samuel.deviceId, bpMessage('crisis-2', 192, 110));
    const samuelRow = row(session, 'Samuel Brooks');
    await waitVisible(samuelRow);
    const target = samuelRow.getByRole('button', { name: 'Acknowledge' });

    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses++) {
      await session.page.keyboard.press('Tab');
      reached = await target.evaluate((button) => button === button.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await session.page.keyboard.press('Enter');
    await waitVisible(samuelRow.getByText('Acknowledged'));

    // The details open from the keyboard with focus on them, and Escape returns to the row.
    const detailsButton = samuelRow.getByRole('button', { name: 'Details' });
    await detailsButton.focus();
    await session.page.keyboard.press('Enter');
    const heading = session.page.getByRole('complementary').getByRole('heading', { level: 2 });
    await waitVisible(heading);
    await waitFor(() => heading.evaluate((element) => element === element.ownerDocument.activeElement), {
      what: 'focus on the details',
    });
    await session.page.keyboard.press('Escape');
    await waitFor(
      () => detailsButton.evaluate((element) => element === element.ownerDocument.activeElement),
      {
        what: 'focus back on the row',
      },
    );
    expect(await session.page.getByRole('complementary').count()).toBe(0);

    expect(await seriousAccessibilityViolations(session.page)).toEqual([]);
    await saveScreenshot(session.page, 'alert-queue');
  });

  it('catches up after its connection is cut and restored (auth.lastSequence), missing nothing', async () => {
    const session = await open(coordinator);
    const amira = await patientWithCuff('Amira', 'Haddad');

    await session.context.setOffline(true);
    await waitVisible(session.page.getByText('Connection: Offline'));
    await publishRaw(amira.mqtt, amira.deviceId, bpMessage('crisis-3', 201, 95));
    await alertOf(amira.patientId);
    await sleep(500);
    expect(await row(session, 'Amira Haddad').count()).toBe(0);

    const reads: string[] = [];
    session.page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/alerts') reads.push(request.url());
    });
    await session.context.setOffline(false);
    await waitVisible(session.page.getByText('Connection: Live'));
    await waitVisible(row(session, 'Amira Haddad'));
    expect(await row(session, 'Amira Haddad').innerText()).toContain('Systolic 201 mmHg ≥ 180');
    // Replayed over the socket from the last sequence seen, not read again through the API.
    expect(reads).toEqual([]);
    await saveScreenshot(session.page, 'alert-queue-after-reconnect');
  });

  it('shows that it is reconnecting while the API is down, and catches up when the API returns', async () => {
    const session = await open(coordinator);
    const omar = await patientWithCuff('Omar', 'Nasser');
    await stack.app('api').stop();
    await waitVisible(session.page.getByText('Connection: Reconnecting…'));

    // Ingest and the worker raise the alert meanwhile; no API is there to push it.
    await publishRaw(omar.mqtt, omar.deviceId, bpMessage('crisis-4', 183, 90));
    await waitFor(
      async () =>
        (await stack.database.pool.query('SELECT 1 FROM alerts WHERE patient_id = $1', [omar.patientId]))
          .rowCount === 1,
      { what: 'the alert raised while the API is down', timeoutMs: 15_000 },
    );

    await stack.startApp('api');
    await waitVisible(session.page.getByText('Connection: Live'), 30_000);
    await waitVisible(row(session, 'Omar Nasser'));
    expect(await row(session, 'Omar Nasser').innerText()).toContain('Systolic 183 mmHg ≥ 180');
  });

  it('refreshes a refused access token silently, asks to sign in again when the session ends, and returns to the same page', async () => {
    const session = await open(coordinator);
    await session.page.getByLabel('Severity').selectOption('critical');
    await session.page.waitForURL(/severity=critical/);
    const url = session.page.url();
    const damage = (fields: string) =>
      session.page.evaluate(`sessionStorage.setItem('homeward.session', JSON.stringify({
        ...JSON.parse(sessionStorage.getItem('homeward.session')), ${fields} }))`);
    // A refused access token: the console refreshes it and stays where it was.
    await damage(`token: 'expired.token.value'`);
    await session.page.reload();
    await waitVisible(session.page.getByText('Connection: Live'));
    await waitVisible(row(session, 'Amira Haddad'));
    expect(await session.page.getByLabel('Password').count()).toBe(0);
    // The refresh refused as well: the session has ended.
    await damage(`token: 'expired.token.value', refreshToken: 'not-a-refresh-token'`);
    await session.page.reload();
    await waitVisible(session.page.getByText('Your session has ended'));
    expect(session.page.url()).toBe(url);
    await session.page.getByLabel('Email').fill(coordinator.email);
    await session.page.getByLabel('Password').fill(coordinator.password);
    await session.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitVisible(session.page.getByText('Connection: Live'));
    expect(session.page.url()).toBe(url);
    await waitVisible(row(session, 'Amira Haddad'));
  });

  it("never showed another organisation's console any of these alerts", async () => {
    // Open since the first alert, through the API restart: nothing was pushed to it...
    expect(await strangers.page.locator('tbody tr').count()).toBe(0);
    // ...and nothing is there when it reads the whole list again.
    await strangers.page.getByLabel('Status').selectOption('all');
    await sleep(500);
    expect(await strangers.page.locator('tbody tr').count()).toBe(0);
    await waitVisible(strangers.page.getByText('No alerts match these filters.'));
  });
});
