import type { Browser } from 'playwright-core';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  signInToConsole,
  sleep,
  waitVisible,
  type ConsoleSession,
  type TestUser,
} from '@homeward/testing';

/**
 * Sessions in Debian's Chromium with access tokens of six seconds: the console refreshes them
 * silently and the user stays where they were; signing out everywhere ends the other consoles.
 */
describe('console sessions in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let coordinator: TestUser;
  let patientId: string;
  const sessions: ConsoleSession[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { JWT_TTL_SECONDS: '6', LOGIN_RATE_LIMIT: '100' },
    });
    const organization = await createOrganization(stack.database.pool, 'Riverside Care');
    coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    patientId = (await api.createPatient('Maria', 'Okafor')).id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const session of sessions) await session.context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('refreshes the access token silently and keeps the user on their page, across a reload', async () => {
    const session = await signInToConsole(browser, stack.apiUrl, coordinator, {
      path: `/patients/${patientId}`,
    });
    sessions.push(session);
    const { page } = session;
    const refreshes: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/auth/refresh')) refreshes.push(response.status());
    });
    await waitVisible(page.getByRole('heading', { name: /Maria Okafor|Okafor, Maria/ }));
    // Three access-token lifetimes.
    await sleep(18_000);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.every((status) => status === 200)).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/patients/${patientId}`);
    expect(await page.getByLabel('Password').count()).toBe(0);
    await waitVisible(page.getByRole('heading', { name: /Maria Okafor|Okafor, Maria/ }));
    await waitVisible(page.getByText('Connection: Live'));

    await sleep(7_000);
    await page.reload();
    await waitVisible(page.getByRole('heading', { name: /Maria Okafor|Okafor, Maria/ }));
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(session.errors.filter((error) => !error.includes('401'))).toEqual([]);
  }, 60_000);

  it('keeps two tabs sharing one session signed in: they take turns refreshing and the session survives', async () => {
    const first = await signInToConsole(browser, stack.apiUrl, coordinator, { path: '/patients' });
    sessions.push(first);
    const stored = String(await first.page.evaluate(`sessionStorage.getItem('homeward.session')`));
    // A duplicated tab starts with a copy of the first tab's sessionStorage, so the same session.
    const second = await first.context.newPage();
    await second.addInitScript(
      `if (!sessionStorage.getItem('homeward.session')) sessionStorage.setItem('homeward.session', ${JSON.stringify(stored)});`,
    );
    const refreshes: number[] = [];
    for (const page of [first.page, second])
      page.on('response', (response) => {
        if (response.url().endsWith('/api/auth/refresh')) refreshes.push(response.status());
      });
    await second.goto(`/patients/${patientId}`);
    await waitVisible(second.getByRole('heading', { name: /Maria Okafor|Okafor, Maria/ }));
    await sleep(20_000);
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(refreshes.every((status) => status === 200)).toBe(true);
    for (const page of [first.page, second]) expect(await page.getByLabel('Password').count()).toBe(0);
    const sid = (JSON.parse(stored) as { sessionId?: string }).sessionId;
    const { rows } = await stack.database.pool.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM sessions WHERE id = $1',
      [sid],
    );
    expect(rows).toEqual([{ revoked_at: null }]);
  }, 60_000);

  it('signs out everywhere from the account menu: another console returns to sign-in with a message', async () => {
    const here = await signInToConsole(browser, stack.apiUrl, coordinator);
    const elsewhere = await signInToConsole(browser, stack.apiUrl, coordinator, { path: '/patients' });
    sessions.push(here, elsewhere);
    await waitVisible(elsewhere.page.getByText('Connection: Live'));
    await here.page.locator('details.who summary').click();
    await here.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await waitVisible(here.page.getByLabel('Email'));
    await waitVisible(elsewhere.page.getByText('Your session has ended'), 10_000);
    expect(new URL(elsewhere.page.url()).pathname).toBe('/patients');
  });
});
