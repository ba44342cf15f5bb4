import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  launchBrowser,
  refreshReadingDays,
  saveScreenshot,
  seriousAccessibilityViolations,
  signInToConsole,
  type ConsoleSession,
  type TestUser,
} from '@homeward/testing';

const HOUR = 3600_000;

/**
 * The patients list and a patient's view in Debian's Chromium, against the built api process
 * over PostgreSQL: search, sorting, the chart's threshold lines and alerting marks, registration
 * with the device credentials shown once, and no serious axe violation on either page.
 */
describe('patients list and patient view in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let coordinator: TestUser;
  let clinician: TestUser;
  let patientId: string;
  const sessions: ConsoleSession[] = [];
  const contexts: BrowserContext[] = [];

  /** Signed in on a 1280x800 screen in London; the patient lives in Chicago. */
  const open = async (user: TestUser, path = '/patients'): Promise<Page> => {
    const session = await signInToConsole(browser, stack.apiUrl, user, { path });
    sessions.push(session);
    contexts.push(session.context);
    return session.page;
  };

  afterEach(() => {
    // Nothing the page logged as an error: no failed request, no CSP refusal, no React warning.
    for (const session of sessions.splice(0)) expect(session.errors).toEqual([]);
  });

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    const organization = await createOrganization(stack.database.pool, 'Console Org');
    const other = await createOrganization(stack.database.pool, 'Other Org');
    coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    clinician = await createUser(stack.database.pool, organization, 'clinician');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const created = await api.request<{ id: string }>('POST', '/api/patients', {
      givenName: 'Ada',
      familyName: 'Lovelace',
      birthDate: '1948-03-14',
      timeZone: 'America/Chicago',
    });
    patientId = created.body.id;
    await api.createPatient('Charles', 'Babbage');
    const outsiderApi = await new ApiClient(stack.apiUrl).login(
      ...(await createUser(stack.database.pool, other, 'coordinator').then(
        (u) => [u.email, u.password] as const,
      )),
    );
    await outsiderApi.createPatient('Ada', 'Outsider');
    const device = (await api.registerDevice(patientId, 'bp_cuff')).id;

    // A week of blood pressure twice a day; one systolic at crisis level, fed to an alert.
    const batch = randomUUID();
    let crisis: { messageId: string; at: Date } | undefined;
    for (let i = 0; i < 14; i++) {
      const at = new Date(Date.now() - (i * 12 + 2) * HOUR);
      const messageId = `bp-${i}`;
      const systolic = i === 3 ? 186 : 128 + (i % 5) * 4;
      if (i === 3) crisis = { messageId, at };
      await stack.database.pool.query(
        `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, batch_id)
         VALUES ($1, $2, $3, $4, 'blood_pressure_systolic', '8480-6', $5, 'mm[Hg]', $5, 'mm[Hg]', $6),
                ($1, $2, $3, $4, 'blood_pressure_diastolic', '8462-4', 84, 'mm[Hg]', 84, 'mm[Hg]', $6)`,
        [at, patientId, device, messageId, systolic, batch],
      );
      await stack.database.pool.query(
        `INSERT INTO device_messages (device_id, message_id, measured_at, batch_id, received_at)
         VALUES ($1, $2, $3, $4, $3::timestamptz + interval '3 seconds')`,
        [device, messageId, at, batch],
      );
    }
    await refreshReadingDays(stack.database.pool, [patientId]);
    const { rows } = await stack.database.pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'default.bp.crisis', 'threshold', 'Systolic 186 mm[Hg] >= 180', 'critical',
               'blood_pressure_systolic', 186, 'mm[Hg]', $3, $4, $5, $6, 'test', 'bp.high', 186, $3)
       RETURNING id`,
      [organization, patientId, crisis!.at, device, crisis!.messageId, batch],
    );
    await stack.database.pool.query(
      `INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id,
                                      type, measured_at, value, unit, batch_id)
       VALUES ($1, $2, 'bp.high', 'default.bp.crisis', 'critical', $3, $4, 'blood_pressure_systolic', $5, 186,
               'mm[Hg]', $6)`,
      [rows[0].id, patientId, device, crisis!.messageId, crisis!.at, batch],
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('filters the list by name as the user types, and sorts from labelled column buttons', async () => {
    const page = await open(clinician);
    const rows = page.locator('table.worklist tbody tr');
    await page.getByRole('link', { name: 'Babbage, Charles' }).waitFor();
    expect(await rows.count()).toBe(2);
    await page.getByLabel('Search patients by name').fill('love');
    await page.getByRole('status').filter({ hasText: '1–1 of 1 patients' }).waitFor();
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('Lovelace, Ada')]);
    const row = rows.first();
    expect(await row.innerText()).toMatch(/\d+\/84 mmHg/);
    expect(await row.innerText()).toMatch(/of 30 days/);
    await page.getByLabel('Search patients by name').fill('');
    const adherence = page.getByRole('columnheader', { name: /Adherence/ });
    expect(await adherence.getAttribute('aria-sort')).toBe('none');
    await adherence.getByRole('button').click();
    expect(await adherence.getAttribute('aria-sort')).toBe('ascending');
    // Fewest days first: Babbage (none) before Lovelace.
    await rows.first().filter({ hasText: 'Babbage' }).waitFor();
    await page.locator('table.worklist[aria-busy="false"]').waitFor();
    expect((await rows.allInnerTexts()).map((text) => text.split(',')[0])).toEqual(['Babbage', 'Lovelace']);
    // A clinician reads; registering is for coordinators and admins.
    expect(await page.getByRole('button', { name: 'Register patient' }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'patients-list');
  });

  it("draws each vital's chart with the threshold line labelled with its value and the alerting reading marked", async () => {
    const page = await open(clinician, `/patients/${patientId}`);
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    const systolic = page.locator('figure[data-vital="blood_pressure_systolic"]');
    // Recharts draws the line in its layer and the label in the label layer above it.
    const crisisLine = systolic.locator('.recharts-reference-line.threshold-critical line[y="180"]');
    // A horizontal line has no height: attached, not "visible", in Playwright's terms.
    await crisisLine.waitFor({ state: 'attached' });
    const label = systolic.locator('text.recharts-label', { hasText: '≥ 180 mmHg' });
    expect(await label.count()).toBe(1);
    const lineY = Number(await crisisLine.getAttribute('y1'));
    const labelY = Number(await label.getAttribute('y'));
    expect(Math.abs(labelY - lineY)).toBeLessThan(12);
    expect(await systolic.locator('.recharts-reference-line.threshold-warning line[y="160"]').count()).toBe(
      1,
    );
    expect(await systolic.locator('.alerting-reading-critical').count()).toBe(1);
    expect(await systolic.locator('.alerting-reading-critical').getAttribute('data-value')).toBe('186');
    expect(await systolic.locator('figcaption').innerText()).toMatch(/14 readings, 1 alerting/);
    // The 24 h view narrows the same readings without losing the threshold.
    await page.getByRole('button', { name: '24 h' }).click();
    expect(await page.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed')).toBe('true');
    await systolic
      .locator('figcaption')
      .filter({ hasText: /2 readings/ })
      .waitFor();
    await page.getByRole('button', { name: '7 days' }).click();
    await systolic
      .locator('figcaption')
      .filter({ hasText: /14 readings/ })
      .waitFor();
    // Devices with their last contact, the rules, the readings table and the alert history.
    const devices = page.getByRole('region', { name: 'Devices' });
    expect(await devices.innerText()).toMatch(/Blood-pressure cuff/);
    expect(await devices.getByRole('button', { name: 'Register device' }).count()).toBe(0);
    expect(await devices.innerText()).toMatch(/\d+ h ago/);
    expect(await page.getByRole('region', { name: 'Alert history' }).innerText()).toMatch(
      /Critical[\s\S]*186 mmHg/,
    );
    expect(await page.getByRole('region', { name: 'Protocols and rules' }).innerText()).toMatch(
      /hypertensive-crisis/,
    );
    // Times in the user's zone (London) with the patient's (Chicago) beside them.
    expect(await page.getByRole('region', { name: 'Readings', exact: true }).innerText()).toMatch(
      /\(patient: [^)]*(GMT-6|CST)\)/,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'patient-view');
  });

  it('works from the keyboard alone: search, sort, open a patient, change the period', async () => {
    const page = await open(clinician);
    /** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
    const tabTo = async (text: RegExp, limit = 60) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate<string>(
          `(document.activeElement?.textContent || document.activeElement?.getAttribute('aria-label') || '').trim()`,
        );
        if (text.test(focused)) return;
      }
      throw new Error(`Tab never reached ${text}`);
    };
    await page.getByRole('link', { name: 'Lovelace, Ada' }).waitFor();
    await page.getByLabel('Search patients by name').focus();
    await page.keyboard.type('ada');
    await page.getByRole('status').filter({ hasText: '1–1 of 1 patients' }).waitFor();
    await tabTo(/^Open alerts/);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('columnheader', { name: /Open alerts/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    await tabTo(/^Lovelace, Ada$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await tabTo(/^30 days$/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('lets a clinician set the dry weight and shows who set it; a coordinator only reads it', async () => {
    const page = await open(clinician, `/patients/${patientId}`);
    const baselines = page.getByRole('region', { name: 'Baselines' });
    await baselines.getByText(/No dry weight set/).waitFor();
    await baselines.getByLabel('Dry weight (kg)').fill('80');
    await baselines.getByLabel('Note').fill('Euvolaemic at discharge');
    await baselines.getByRole('button', { name: 'Save' }).click();
    await baselines.getByText(/Dry weight 80 kg, set by Test clinician on/).waitFor();
    expect(await baselines.innerText()).toMatch(/Euvolaemic at discharge/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const coordinatorPage = await open(coordinator, `/patients/${patientId}`);
    const read = coordinatorPage.getByRole('region', { name: 'Baselines' });
    await read.getByText(/Dry weight 80 kg, set by Test clinician on/).waitFor();
    expect(await read.getByLabel('Dry weight (kg)').count()).toBe(0);
    expect(await read.getByRole('button', { name: 'Save' }).count()).toBe(0);
  });

  it("records and revokes a patient's consent from the Consent panel, warning while monitoring has none", async () => {
    const page = await open(clinician, `/patients/${patientId}`);
    const panel = page.getByRole('region', { name: 'Consent' });
    await panel.getByText(/No active consent to remote monitoring/).waitFor();
    await panel.getByLabel('Consent to').selectOption('rpm_monitoring');
    await panel.getByLabel('Given', { exact: true }).selectOption('written');
    await panel.getByRole('button', { name: 'Record consent' }).click();
    await panel.getByRole('cell', { name: 'Remote monitoring' }).waitFor();
    await panel.getByText(/No active consent to remote monitoring/).waitFor({ state: 'detached' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Revoke…' }).click();
    await panel.getByLabel('Reason').fill('Patient asked to stop');
    await panel.getByRole('button', { name: 'Revoke', exact: true }).click();
    await panel.getByText(/Revoked · Patient asked to stop/).waitFor();
    await panel.getByText(/No active consent to remote monitoring/).waitFor();
  });

  it('lets a coordinator register a patient and a device, showing the device credentials once', async () => {
    const page = await open(coordinator);
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByLabel('Given name').fill('Grace');
    await page.getByLabel('Family name').fill('Hopper');
    await page.getByLabel('Birth date').fill('1946-12-09');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    expect(page.url()).toMatch(/\/patients\/[0-9a-f-]{36}$/);
    expect(await page.getByText('America/New_York').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Register device' }).click();
    await page.getByLabel('Device type').selectOption('scale');
    await page.getByLabel('Label (optional)').fill('Bathroom scale');
    await page.getByRole('button', { name: 'Register device' }).click();
    const credentials = page.getByRole('alert').filter({ hasText: 'Device credentials' });
    await credentials.waitFor();
    expect(await credentials.innerText()).toMatch(/You will not see this secret again/);
    // Focus moves to the credentials, so keyboard and screen-reader users find them first.
    expect(await page.evaluate<string>('document.activeElement?.className ?? ""')).toContain('credentials');
    const secret = (await credentials.locator('[data-credential="secret"]').innerText()).trim();
    const deviceId = (await credentials.locator('[data-credential="id"]').innerText()).trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const listed = page.getByRole('region', { name: 'Devices' });
    await listed.getByText('Bathroom scale').waitFor();
    expect(await listed.innerText()).toMatch(/Never heard from/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'I have copied the credentials' }).click();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByRole('region', { name: 'Devices' }).getByText('Bathroom scale').waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).toContain(deviceId);
  });
});
