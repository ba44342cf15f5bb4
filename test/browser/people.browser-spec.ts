import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  saveScreenshot,
  seriousAccessibilityViolations,
  signIn,
  signInToConsole,
  waitVisible,
  type ConsoleSession,
  type TestUser,
} from '@homeward/testing';

const PASSWORD = 'four quiet rivers at dawn';

/**
 * People in Debian's Chromium against the built api process: an admin invites a colleague on
 * the People page, the colleague opens the emailed link, sets a password and signs in; the
 * used link then says so in plain words; no serious axe violation on any of these pages.
 */
describe('people and invitations in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: TestUser;
  const sessions: ConsoleSession[] = [];
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<{ page: Page; errors: string[] }> => {
    const context = await browser.newContext({
      baseURL: stack.apiUrl,
      viewport: { width: 1280, height: 800 },
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  };

  /** The link the invitation email carries, as the outbox holds it for delivery. */
  const emailedLink = async (email: string): Promise<string> => {
    const { rows } = await stack.database.pool.query<{ url: string }>(
      `SELECT n.payload->>'invitationUrl' AS url FROM notification_outbox n JOIN users u ON u.id = n.recipient_user_id
       WHERE lower(u.email) = lower($1) AND n.kind = 'user.invited' AND n.channel = 'email'
       ORDER BY n.created_at DESC LIMIT 1`,
      [email],
    );
    expect(rows[0]?.url).toBeDefined();
    return rows[0].url;
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    admin = await createUser(
      stack.database.pool,
      await createOrganization(stack.database.pool, 'Browser Clinic'),
      'admin',
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await stack?.stop();
  });

  it('an admin invites a colleague, who opens the link, sets a password and signs in', async () => {
    const session = await signInToConsole(browser, stack.apiUrl, admin, { path: '/people' });
    sessions.push(session);
    contexts.push(session.context);
    const { page } = session;
    await waitVisible(page.getByRole('heading', { name: 'People', exact: true }));
    await page.getByLabel('Name', { exact: true }).fill('Nora Nurse');
    await page.getByLabel('Email', { exact: true }).fill('nora@browser-clinic.example');
    await page.getByLabel('Role', { exact: true }).selectOption('clinician');
    await page.getByRole('button', { name: 'Invite' }).click();
    await waitVisible(
      page.getByRole('status').filter({ hasText: 'Invitation sent to nora@browser-clinic.example' }),
    );
    await waitVisible(
      page.getByRole('row').filter({ hasText: 'nora@browser-clinic.example' }).filter({ hasText: 'Invited' }),
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'people-invited');

    const link = new URL(await emailedLink('nora@browser-clinic.example'));
    const colleague = await newPage();
    await colleague.page.goto(`${link.pathname}${link.search}`);
    await waitVisible(colleague.page.getByRole('heading', { name: 'Set your password' }));
    expect(await seriousAccessibilityViolations(colleague.page)).toEqual([]);
    await colleague.page.getByLabel('New password').fill('password1234');
    await colleague.page.getByLabel('Repeat the password').fill('password1234');
    await colleague.page.getByRole('button', { name: 'Set password' }).click();
    await waitVisible(colleague.page.getByRole('alert').filter({ hasText: 'too common' }));
    await colleague.page.getByLabel('New password').fill(PASSWORD);
    await colleague.page.getByLabel('Repeat the password').fill(PASSWORD);
    await colleague.page.getByRole('button', { name: 'Set password' }).click();
    await waitVisible(colleague.page.getByRole('heading', { name: 'Your password is set' }));
    await colleague.page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(colleague.page, { email: 'nora@browser-clinic.example', password: PASSWORD });
    await waitVisible(colleague.page.getByText('Nora Nurse'));
    expect(colleague.errors).toEqual([]);

    // The same link again: a plain page, no form.
    const again = await newPage();
    await again.page.goto(`${link.pathname}${link.search}`);
    await again.page.getByLabel('New password').fill(PASSWORD);
    await again.page.getByLabel('Repeat the password').fill(PASSWORD);
    await again.page.getByRole('button', { name: 'Set password' }).click();
    await waitVisible(again.page.getByRole('heading', { name: 'This invitation was already used' }));
    expect(await seriousAccessibilityViolations(again.page)).toEqual([]);

    await page.reload();
    await waitVisible(
      page.getByRole('row').filter({ hasText: 'nora@browser-clinic.example' }).filter({ hasText: 'Active' }),
    );
    await page.getByRole('button', { name: 'Disable Nora Nurse' }).click();
    await waitVisible(page.getByRole('button', { name: 'Enable Nora Nurse' }));
    // The last admin stays: disabling oneself is refused in plain words.
    await page.getByRole('button', { name: 'Disable Test admin' }).click();
    await waitVisible(page.getByRole('alert').filter({ hasText: 'another active administrator' }));
    expect(session.errors.filter((error) => !error.includes('409'))).toEqual([]);
  });
});
