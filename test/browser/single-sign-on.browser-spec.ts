import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiClient,
  TestOidcProvider,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  saveScreenshot,
  seriousAccessibilityViolations,
  signInToConsole,
  waitVisible,
  type TestUser,
} from '@homeward/testing';

/**
 * Single sign-on in Debian's Chromium: the console's "Sign in with single sign-on" form, the
 * real provider's login and consent pages (oidc-provider in a child process), and back to the
 * console signed in, with the one-time code gone from the address bar; a refusal in plain words.
 */
describe('single sign-on in a real browser', () => {
  let stack: TestStack;
  let provider: TestOidcProvider;
  let browser: Browser;
  let slug: string;
  let member: TestUser;
  let admin: TestUser;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport: { width: 1280, height: 800 },
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  /** From the console's sign-in page through the provider's pages, as `login`. */
  async function signInWithProvider(page: Page, login: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Organisation').fill(slug);
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const consent = page.getByRole('button', { name: 'Continue' });
    const back = page
      .getByRole('heading', { name: 'Homeward console' })
      .or(page.getByRole('button', { name: 'Sign out' }));
    await consent.or(back).first().waitFor({ timeout: 15_000 });
    if (await consent.isVisible()) await consent.click();
  }

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { OIDC_ALLOW_INSECURE_ISSUERS: 'true', LOGIN_RATE_LIMIT: '1000' },
    });
    provider = await TestOidcProvider.start(`${stack.apiUrl}/api/auth/oidc/callback`);
    const organization = await createOrganization(stack.database.pool, 'Browser Clinic');
    slug = (
      await stack.database.pool.query<{ slug: string }>('SELECT slug FROM organizations WHERE id = $1', [
        organization,
      ])
    ).rows[0].slug;
    admin = await createUser(stack.database.pool, organization, 'admin');
    member = await createUser(stack.database.pool, organization, 'coordinator');
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await provider?.stop();
    await stack?.stop();
  });

  it('an admin connects the provider on the People page; the secret is never shown again', async () => {
    const session = await signInToConsole(browser, stack.apiUrl, admin, { path: '/people' });
    contexts.push(session.context);
    const { page } = session;
    const settings = page.getByRole('form', { name: 'Single sign-on' });
    await waitVisible(settings);
    await settings.getByLabel('Issuer URL').fill(provider.issuer);
    await settings.getByLabel('Client ID').fill(provider.clientId);
    await settings.getByLabel('Client secret').fill(provider.clientSecret);
    await settings.getByRole('button', { name: 'Save single sign-on' }).click();
    await waitVisible(
      page.getByRole('form', { name: 'Single sign-on' }).getByText(`organisation name ${slug}`),
    );
    await waitVisible(
      page.getByRole('form', { name: 'Single sign-on' }).getByText(`${stack.apiUrl}/api/auth/oidc/callback`),
    );
    expect(
      await page.getByRole('form', { name: 'Single sign-on' }).getByLabel('Client secret').inputValue(),
    ).toBe('');
    expect(await page.content()).not.toContain(provider.clientSecret);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'single-sign-on-settings');
    expect(session.errors).toEqual([]);
    const stored = await new ApiClient(stack.apiUrl)
      .login(admin.email, admin.password)
      .then((api) => api.request<{ clientId: string }>('GET', '/api/admin/oidc'));
    expect(stored.body.clientId).toBe(provider.clientId);
  });

  it('signs a member in through the provider and leaves no code in the address bar', async () => {
    const { page, errors } = await newPage();
    await page.goto('/');
    await waitVisible(page.getByRole('form', { name: 'Sign in with single sign-on' }));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await signInWithProvider(page, member.email);
    await waitVisible(page.getByRole('button', { name: 'Sign out' }));
    expect(page.url()).toBe(`${stack.apiUrl}/`);
    await saveScreenshot(page, 'single-sign-on-signed-in');
    expect(errors).toEqual([]);
  });

  it('says in plain words when the email has no account in the organisation', async () => {
    const { page } = await newPage();
    await signInWithProvider(page, 'nobody@test.homeward.test');
    await waitVisible(
      page
        .getByRole('form', { name: 'Sign in with single sign-on' })
        .getByRole('alert')
        .filter({ hasText: 'no active Homeward account' }),
    );
    expect(page.url()).toBe(`${stack.apiUrl}/`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The organisation is remembered in this browser for the next attempt.
    expect(await page.getByLabel('Organisation').inputValue()).toBe(slug);
    await saveScreenshot(page, 'single-sign-on-refused');
  });
});
