import type { MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  saveScreenshot,
  signIn,
  sleep,
  waitFor,
  waitVisible,
  type TestUser,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from '../mqtt-helpers';

const PHONE = { width: 390, height: 844 };
/** The console's undo window for a resolve (apps/console/src/alerts/pending-closures.ts). */
const UNDO_WINDOW_MS = 8_000;

/**
 * The console on a coordinator's phone (390 × 844, an iPhone 12 to 15): no page scrolls sideways,
 * the alerts are cards whose actions are in reach, and the details take the whole screen.
 */
describe('the console on a phone', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let coordinator: TestUser;
  let patientId: string;
  let deviceId: string;
  let mqtt: MqttClient;

  const alertStatus = async () => {
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const alerts = await api.request<{ items: Array<{ status: string }> }>(
      'GET',
      `/api/alerts?patientId=${patientId}&status=acknowledged,resolved`,
    );
    return alerts.body.items[0];
  };

  const pageWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');

  /** Visible, and wholly inside the phone's screen: a thumb can reach it without scrolling sideways. */
  const expectOnScreen = async (locator: Locator) => {
    await waitVisible(locator);
    const box = await locator.boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'ingest', 'worker'], env: { LOGIN_RATE_LIMIT: '100' } });
    const organization = await createOrganization(stack.database.pool, 'Riverside Care');
    coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const patient = await api.createPatient('Maximiliana', 'Oyelaran-Whitcombe');
    patientId = patient.id;
    const device = await api.registerDevice(patient.id, 'bp_cuff');
    deviceId = device.id;
    mqtt = await connectDevice(stack.broker.url, device);
    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport: PHONE,
      timezoneId: 'Europe/London',
      locale: 'en-GB',
      hasTouch: true,
      isMobile: true,
    });
    page = await context.newPage();
    await page.goto('/');
    await signIn(page, coordinator);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it('shows each alert as a card with its latest value and its actions in reach, and Sign out on screen', async () => {
    await publishRaw(mqtt, deviceId, bpMessage('phone-1', 186, 124));
    const card = page.locator('tbody tr', { hasText: 'Maximiliana Oyelaran-Whitcombe' });
    await waitVisible(card.getByText('Awaiting re-measurement'));
    // The re-measurement confirms the crisis; the card keeps what raised it and shows the latest.
    // (Sent once the first is waiting, so that it arrives as the answer to the remeasure command.)
    await publishRaw(mqtt, deviceId, bpMessage('phone-2', 192, 126));
    await waitVisible(card.getByText('latest systolic 192 mmHg'));
    const text = await card.innerText();
    expect(text).toContain('Critical');
    expect(text).toContain('Systolic 186 mmHg ≥ 180');
    expect(text).toMatch(/just now|1 min ago/);

    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await expectOnScreen(page.getByRole('button', { name: 'Sign out' }));
    await expectOnScreen(card.getByRole('button', { name: 'Details' }));
    const acknowledge = card.getByRole('button', { name: 'Acknowledge' });
    await expectOnScreen(acknowledge);
    await saveScreenshot(page, 'phone-queue');
    await acknowledge.click();
    await waitVisible(card.getByText('Acknowledged'));
  });

  it('opens the details over the whole screen, with a close button back to the queue', async () => {
    const card = page.locator('tbody tr', { hasText: 'Maximiliana Oyelaran-Whitcombe' });
    await card.getByRole('button', { name: 'Details' }).click();
    const details = page.getByRole('complementary');
    await waitVisible(details.getByText('Systolic 186 mmHg ≥ 180'));
    const box = await details.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await expectOnScreen(details.getByRole('button', { name: 'Escalate' }));
    expect(await details.innerText()).toMatch(/Contact\s+No phone or email on record/);
    expect(await details.innerText()).toMatch(/Protocols\s+\S/);
    const readings = details.getByRole('table', { name: /Newest blood pressure readings/ });
    await waitVisible(readings.getByText('192/126 mmHg'));
    expect(await readings.innerText()).toContain('186/124 mmHg');
    // Beside the summary and in the facts, the latest blood pressure with both halves.
    await waitVisible(details.getByRole('heading', { name: /latest 192\/126 mmHg/ }));
    expect(await details.innerText()).toMatch(/Latest value\s+192\/126 mmHg/);
    await saveScreenshot(page, 'phone-details');

    await details.getByRole('button', { name: 'Close' }).click();
    await expect(details.count()).resolves.toBe(0);
    await expectOnScreen(page.getByRole('button', { name: 'Sign out' }));
  });

  it("shows the patient's page with its panels stacked and nothing wider than the screen", async () => {
    await page.goto(`/patients/${patientId}`);
    await page.getByRole('heading', { name: 'Maximiliana Oyelaran-Whitcombe' }).waitFor();
    await waitVisible(page.getByRole('heading', { name: 'Readings' }));
    await waitVisible(page.locator('.vital-chart').first());
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await expectOnScreen(page.getByRole('button', { name: 'Sign out' }));

    const contact = page.getByRole('form', { name: 'Contact details' });
    await contact.getByLabel('Phone').fill('07700 900123');
    await contact.getByRole('button', { name: 'Save' }).click();
    await waitVisible(contact.getByRole('alert').filter({ hasText: 'E.164' }));
    await contact.getByLabel('Phone').fill('+447700900123');
    await contact.getByLabel('Email').fill('maxi@example.org');
    await contact.getByRole('button', { name: 'Save' }).click();
    await waitVisible(contact.getByRole('status').filter({ hasText: 'Contact details saved.' }));
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await saveScreenshot(page, 'phone-patient');
    await page.reload();
    await waitVisible(page.getByRole('form', { name: 'Contact details' }));
    expect(await page.getByRole('form', { name: 'Contact details' }).getByLabel('Phone').inputValue()).toBe(
      '+447700900123',
    );
  });

  it('shows the phone as a link in the details, and holds a resolve for Undo, sending it if the tab goes away', async () => {
    await page.goto('/');
    const card = page.locator('tbody tr', { hasText: 'Maximiliana Oyelaran-Whitcombe' });
    await card.getByRole('button', { name: 'Details' }).click();
    const details = page.getByRole('complementary');
    await waitVisible(details.getByRole('link', { name: '+447700900123' }));
    expect(await details.getByRole('link', { name: '+447700900123' }).getAttribute('href')).toBe(
      'tel:+447700900123',
    );

    await details.getByLabel('Reason to resolve or dismiss').fill('Called the patient');
    await details.getByRole('button', { name: 'Resolve' }).click();
    const message = page.getByRole('status').filter({ hasText: 'Alert resolved' });
    await waitVisible(message);
    await waitVisible(card.getByText('Resolving…'));
    await expectOnScreen(message.getByRole('button', { name: 'Undo' }));
    await message.getByRole('button', { name: 'Undo' }).click();
    await waitVisible(card.getByText('Acknowledged'));
    await sleep(UNDO_WINDOW_MS + 1000);
    expect((await alertStatus()).status).toBe('acknowledged');

    await card.getByRole('button', { name: 'Details' }).click();
    await details.getByLabel('Reason to resolve or dismiss').fill('Called the patient again');
    await details.getByRole('button', { name: 'Resolve' }).click();
    await waitVisible(message);
    // The coordinator closes the tab inside the undo window: the resolve is sent, not lost.
    const closedAt = Date.now();
    await page.close({ runBeforeUnload: true });
    const resolved = await waitFor(
      async () => ((await alertStatus()).status === 'resolved' ? true : undefined),
      {
        what: 'the held resolve to be sent when the tab closed',
        timeoutMs: UNDO_WINDOW_MS - 2000,
      },
    );
    expect(resolved).toBe(true);
    expect(Date.now() - closedAt).toBeLessThan(UNDO_WINDOW_MS);
  });

  it('sends a held dismiss before signing out, so signing out inside the undo window loses nothing', async () => {
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const other = await api.createPatient('Tomasz', 'Wiśniewski');
    const cuff = await api.registerDevice(other.id, 'bp_cuff');
    const otherMqtt = await connectDevice(stack.broker.url, cuff);
    try {
      page = await context.newPage();
      await page.goto('/');
      await signIn(page, coordinator);
      await publishRaw(otherMqtt, cuff.id, bpMessage('phone-3', 188, 122));
      const card = page.locator('tbody tr', { hasText: 'Tomasz Wiśniewski' });
      await card.getByRole('button', { name: 'Details' }).click();
      const details = page.getByRole('complementary');
      await details.getByLabel('Reason to resolve or dismiss').fill('Cuff worn over clothing');
      await details.getByRole('button', { name: 'Dismiss' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Alert dismissed' }));
      const signedOutAt = Date.now();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await waitVisible(page.getByLabel('Email'));
      await waitFor(
        async () =>
          (
            await api.request<{ items: unknown[] }>(
              'GET',
              `/api/alerts?patientId=${other.id}&status=dismissed`,
            )
          ).body.items.length === 1,
        { what: 'the held dismiss to be sent on signing out', timeoutMs: UNDO_WINDOW_MS - 2000 },
      );
      expect(Date.now() - signedOutAt).toBeLessThan(UNDO_WINDOW_MS);
    } finally {
      await otherMqtt.endAsync();
    }
  });
});
