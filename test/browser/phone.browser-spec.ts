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
  waitVisible,
  type TestUser,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from '../mqtt-helpers';

const PHONE = { width: 390, height: 844 };

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
    await publishRaw(mqtt, deviceId, bpMessage('phone-2', 192, 126));
    const card = page.locator('tbody tr', { hasText: 'Maximiliana Oyelaran-Whitcombe' });
    await waitVisible(card.getByText('latest 192 mmHg'));
    const text = await card.innerText();
    expect(text).toContain('Critical');
    expect(text).toContain('Systolic 186 mmHg ≥ 180');
    expect(text).toContain('Awaiting re-measurement');
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
    await saveScreenshot(page, 'phone-patient');
  });
});
