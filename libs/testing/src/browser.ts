import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); Playwright's own browser builds are never downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of browser specs; git-ignored. */
export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', '..', 'test', 'artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container: Chromium's sandbox needs user namespaces it may not have.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** What the page logged as an error, Content-Security-Policy refusals included. */
  errors: string[];
}

/**
 * A new browser context (its own cookies and storage: one person at one desk) on a 1280x800
 * screen, signed in through the console's own form.
 */
export async function signInToConsole(
  browser: Browser,
  baseUrl: string,
  user: { email: string; password: string },
  options: { path?: string; prepare?: (page: Page) => Promise<void> } = {},
): Promise<ConsoleSession> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Europe/London',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await options.prepare?.(page);
  await page.goto(options.path ?? '/');
  await signIn(page, user);
  return { context, page, errors };
}

/**
 * Fills the sign-in form as a person would: by its labels. With `authenticationCode`, answers the
 * second step (an account with an authenticator app) with the code it returns when asked.
 */
export async function signIn(
  page: Page,
  user: { email: string; password: string; authenticationCode?: () => string },
): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const signedIn = page.getByRole('button', { name: 'Sign out' });
  const refused = page.locator('form[aria-label="Sign in"] [role="alert"]');
  if (user.authenticationCode) {
    const asked = page.getByLabel('Authentication code');
    await signedIn.or(refused).or(asked).first().waitFor({ timeout: 15_000 });
    if (await asked.isVisible()) {
      await asked.fill(user.authenticationCode());
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    }
  }
  await signedIn.or(refused).first().waitFor({ timeout: 15_000 });
  if (await refused.isVisible()) throw new Error(`Sign-in refused: ${await refused.innerText()}`);
}

/** Waits until `locator` matches something visible (a row arriving, a status changing). */
export async function waitVisible(locator: Locator, timeoutMs = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page and returns its serious and critical violations. The script goes
 * in through the DevTools protocol, which the page's CSP does not govern, so the console's own
 * policy stays in force.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  await page.evaluate(axe.source);
  return page.evaluate<AccessibilityViolation[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) })),
    )
  `);
}
