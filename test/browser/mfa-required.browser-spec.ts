import { authenticator } from 'otplib';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  seriousAccessibilityViolations,
  waitVisible,
  type TestUser,
} from '@homeward/testing';

const codeAt = (secret: string, offsetSteps = 0) =>
  authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);

/**
 * An organisation that requires an authenticator app, in Debian's Chromium against the built api
 * process: a user without one signs in with their password, is walked through setting one up on
 * the sign-in page itself (the API's enrollment token, no session), and then signs in with the
 * app's next code, without typing the email or password again.
 */
describe('sign-in when the organisation requires an authenticator app', () => {
  let stack: TestStack;
  let browser: Browser;
  let coordinator: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    const organizationId = await createOrganization(stack.database.pool, 'Strict Browser Clinic');
    const admin = await createUser(stack.database.pool, organizationId, 'admin');
    coordinator = await createUser(stack.database.pool, organizationId, 'coordinator');
    const client = await new ApiClient(stack.apiUrl).login(admin.email, admin.password);
    const { body } = await client.request<{ secret: string }>('POST', '/api/auth/mfa/enroll');
    expect(
      (await client.request('POST', '/api/auth/mfa/confirm', { code: codeAt(body.secret) })).status,
    ).toBe(200);
    expect((await client.request('PATCH', '/api/admin/organization', { mfaRequired: true })).status).toBe(
      200,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await stack?.stop();
  });

  it('sets up the app from the sign-in page, then signs in with its code', async () => {
    const context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport: { width: 1280, height: 800 },
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await page.getByLabel('Email').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await waitVisible(page.getByRole('heading', { name: 'Set up your authenticator app' }));
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await waitVisible(page.getByRole('img', { name: 'QR code for your authenticator app' }));
    const secret = (await page.getByLabel('Secret key').inputValue()).replace(/\s/g, '');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const setUpCode = codeAt(secret);
    await page.getByLabel('Authentication code').fill(setUpCode);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await waitVisible(page.getByRole('heading', { name: 'Recovery codes' }));
    await page.getByRole('button', { name: 'Continue to sign in' }).click();

    await waitVisible(page.getByText('Enter the next code your authenticator app shows'));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The code just used for the set-up is spent: the form says so in words.
    await page.getByLabel('Authentication code').fill(setUpCode);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitVisible(page.getByRole('alert').filter({ hasText: 'wrong or was already used' }));
    await page.getByLabel('Authentication code').fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitVisible(page.getByRole('button', { name: 'Sign out', exact: true }));
    await waitVisible(page.getByText('Test coordinator'));
    expect(errors).toEqual([]);
  });
});
