import { authenticator } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  TestStack,
  createOrganization,
  createPatient,
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

const PASSWORD = 'seven lanterns over the harbour';
const TEAM = 'Onboarding nurses';

/** The newcomer, as the steps learn about them. */
interface Newcomer {
  name: string;
  email: string;
  role: 'clinician' | 'coordinator';
  /** The link the invitation email carries. */
  link?: URL;
  /** The authenticator app's secret, read from the Security page. */
  secret?: string;
}

/**
 * A colleague's first day, in Debian's Chromium against the built api process. Each `it` is one
 * step and hands the next what it learned (the steps run in order and share `newcomer`): an admin
 * invites them; they set a password from the emailed link and sign in; they set up an
 * authenticator app on the Security page; they sign out and back in with email, password and
 * the authentication code; an admin puts them in a care team, and they see that team's patients
 * and nobody else's. No serious axe violation on any new page. Add later steps as further `it`s
 * at the end.
 */
describe('onboarding a colleague in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: TestUser;
  let adminSession: ConsoleSession;
  let colleague: { page: Page; errors: string[] };
  const contexts: BrowserContext[] = [];
  const newcomer: Newcomer = {
    name: 'Olu Onboard',
    email: 'olu@onboarding-clinic.example',
    role: 'clinician',
  };

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

  /**
   * The code the newcomer's app shows. `offsetSteps: 1` is the next 30-second code: a code is
   * accepted once, and the server accepts one step either side of now, so a person who just used
   * this step's code types the next one.
   */
  const authenticationCode = (offsetSteps = 0) => {
    if (!newcomer.secret) throw new Error('no authenticator set up yet');
    return authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(newcomer.secret);
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    const pool = stack.database.pool;
    const organization = await createOrganization(pool, 'Onboarding Clinic');
    admin = await createUser(pool, organization, 'admin');
    // One patient of the team the newcomer will join, one of another team of the same clinic.
    const named = async (team: string, givenName: string, familyName: string) => {
      const id = await createPatient(pool, organization, { careTeam: team });
      await pool.query('UPDATE patients SET given_name = $2, family_name = $3 WHERE id = $1', [
        id,
        givenName,
        familyName,
      ]);
    };
    await named(TEAM, 'Tia', 'Teamed');
    await named('Elsewhere ward', 'Otto', 'Other');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await stack?.stop();
  });

  it('an admin invites the colleague from the People page', async () => {
    adminSession = await signInToConsole(browser, stack.apiUrl, admin, { path: '/people' });
    contexts.push(adminSession.context);
    const { page } = adminSession;
    await waitVisible(page.getByRole('heading', { name: 'People', exact: true }));
    await page.getByLabel('Name', { exact: true }).fill(newcomer.name);
    await page.getByLabel('Email', { exact: true }).fill(newcomer.email);
    await page.getByLabel('Role', { exact: true }).selectOption(newcomer.role);
    await page.getByRole('button', { name: 'Invite' }).click();
    await waitVisible(page.getByRole('status').filter({ hasText: `Invitation sent to ${newcomer.email}` }));
    const { rows } = await stack.database.pool.query<{ url: string }>(
      `SELECT n.payload->>'invitationUrl' AS url FROM notification_outbox n JOIN users u ON u.id = n.recipient_user_id
       WHERE lower(u.email) = lower($1) AND n.kind = 'user.invited' AND n.channel = 'email'
       ORDER BY n.created_at DESC LIMIT 1`,
      [newcomer.email],
    );
    expect(rows[0]?.url).toBeDefined();
    newcomer.link = new URL(rows[0].url);
  });

  it('the colleague opens the link, sets a password and signs in', async () => {
    colleague = await newPage();
    const { page } = colleague;
    await page.goto(`${newcomer.link!.pathname}${newcomer.link!.search}`);
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await waitVisible(page.getByRole('heading', { name: 'Your password is set' }));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, { email: newcomer.email, password: PASSWORD });
    await waitVisible(page.getByText(newcomer.name));
  });

  it('sets up an authenticator app on the Security page and sees the recovery codes once', async () => {
    const { page } = colleague;
    await page.getByText(`${newcomer.name} (account menu)`).click();
    await page.getByRole('link', { name: 'Security and sign-in' }).click();
    await waitVisible(page.getByRole('heading', { name: 'Security', exact: true }));
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await waitVisible(page.getByRole('img', { name: 'QR code for your authenticator app' }));
    // Read as a person typing it into their app would: the grouped text, spaces dropped.
    newcomer.secret = (await page.getByLabel('Secret key').inputValue()).replace(/\s/g, '');
    expect(newcomer.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'onboarding-authenticator');

    await page.getByLabel('Authentication code').fill(authenticationCode());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await waitVisible(page.getByRole('heading', { name: 'Recovery codes' }));
    expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
    await waitVisible(page.getByText('Two-step sign-in is on'));
    await expect(page.getByRole('heading', { name: 'Recovery codes' }).count()).resolves.toBe(0);
  });

  it('signs out, and signs in again with email, password and the authentication code', async () => {
    const { page, errors } = colleague;
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Asked for the code only: email and password are kept, not typed again.
    await waitVisible(page.getByLabel('Authentication code'));
    await expect(page.getByLabel('Password').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'onboarding-two-step-sign-in');
    await page.getByLabel('Authentication code').fill(authenticationCode(1));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitVisible(page.getByRole('button', { name: 'Sign out', exact: true }));
    await waitVisible(page.getByText(newcomer.name));
    expect(errors).toEqual([]);
    expect(adminSession.errors).toEqual([]);
  });
  it("shows the admin, on the People page, that the colleague's authenticator app is set up", async () => {
    const { page: adminPage } = adminSession;
    // The admin's page has shown People since the invitation: load it afresh.
    await adminPage.reload();
    await waitVisible(adminPage.getByRole('heading', { name: 'People', exact: true }));
    const row = adminPage.getByRole('row').filter({ hasText: newcomer.name });
    await waitVisible(row.getByRole('cell', { name: 'Set up', exact: true }));
    await waitVisible(row.getByRole('button', { name: `Reset authenticator app of ${newcomer.name}` }));
    expect(await seriousAccessibilityViolations(adminPage)).toEqual([]);
  });

  it("is put in a care team by the admin, and sees that team's patients and nobody else's", async () => {
    const { page: adminPage } = adminSession;
    await adminPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Care teams', exact: true })
      .click();
    await adminPage
      .getByLabel(`Add a member to ${TEAM}`)
      .selectOption({ label: `${newcomer.name} (Clinician)` });
    await adminPage
      .getByRole('region', { name: TEAM })
      .getByRole('button', { name: 'Add', exact: true })
      .click();
    await waitVisible(adminPage.getByRole('list', { name: `Members of ${TEAM}` }).getByText(newcomer.name));

    const { page, errors } = colleague;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Patients', exact: true })
      .click();
    await waitVisible(page.getByRole('link', { name: /Teamed, Tia/ }));
    await expect(page.getByText('Otto', { exact: false }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The other team's patient is not found by its address either.
    const { rows } = await stack.database.pool.query<{ id: string }>(
      "SELECT id FROM patients WHERE family_name = 'Other'",
    );
    await page.goto(`/patients/${rows[0].id}`);
    await waitVisible(page.getByRole('heading', { name: 'Patient not found' }));
    expect(errors).toEqual([]);
  });
});
