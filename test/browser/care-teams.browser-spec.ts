import type { Browser, Page } from 'playwright-core';
import {
  TestStack,
  createOrganization,
  createPatient,
  createUser,
  launchBrowser,
  saveScreenshot,
  seriousAccessibilityViolations,
  signInToConsole,
  waitVisible,
  type ConsoleSession,
  type TestUser,
} from '@homeward/testing';

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/**
 * Care teams in Debian's Chromium against the built api process: an admin creates a team and
 * adds a coordinator, finds a patient in no team under the unassigned patients and assigns it;
 * the coordinator then sees the patient and its Care teams panel; an empty team is renamed and
 * deleted; no serious axe violation.
 */
describe('care teams in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;
  let patientId: string;
  const sessions: ConsoleSession[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    const pool = stack.database.pool;
    const organization = await createOrganization(pool, 'Browser Clinic');
    admin = await createUser(pool, organization, 'admin');
    coordinator = await createUser(pool, organization, 'coordinator', { careTeam: false });
    await pool.query(`UPDATE users SET display_name = 'Cora Coordinator' WHERE id = $1`, [coordinator.id]);
    patientId = await createPatient(pool, organization, { careTeam: false });
    await pool.query(`UPDATE patients SET given_name = 'Una', family_name = 'Assigned' WHERE id = $1`, [
      patientId,
    ]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.context.close()));
    await browser?.close();
    await stack?.stop();
  });

  it('an admin creates a team, adds a coordinator and assigns an unassigned patient, whom the coordinator then sees', async () => {
    const session = await signInToConsole(browser, stack.apiUrl, admin, { path: '/care-teams' });
    sessions.push(session);
    const { page } = session;
    await waitVisible(page.getByRole('heading', { name: 'Care teams', exact: true, level: 1 }));
    await page.getByLabel('Team name').fill('Heart failure nurses');
    await page.getByRole('button', { name: 'Create team' }).click();
    await waitVisible(page.getByRole('heading', { name: 'Heart failure nurses' }));
    await page
      .getByLabel('Add a member to Heart failure nurses')
      .selectOption({ label: 'Cora Coordinator (Care coordinator)' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await waitVisible(
      page.getByRole('list', { name: 'Members of Heart failure nurses' }).getByText('Cora Coordinator'),
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'care-teams');

    // A colleague invited into the team is a member at once.
    await nav(page, 'People').click();
    await page.getByLabel('Name', { exact: true }).fill('Nia Nurse');
    await page.getByLabel('Email', { exact: true }).fill('nia@browser-clinic.example');
    await page.getByLabel('Heart failure nurses').check();
    await page.getByRole('button', { name: 'Invite' }).click();
    await waitVisible(
      page.getByRole('status').filter({ hasText: 'Invitation sent to nia@browser-clinic.example' }),
    );
    await nav(page, 'Care teams').click();
    await waitVisible(
      page.getByRole('list', { name: 'Members of Heart failure nurses' }).getByText('Nia Nurse'),
    );

    // The patient in no team, seen by the admin alone, is assigned from its page.
    await nav(page, 'Patients').click();
    await page.getByLabel('Show the patients in no care team').check();
    await page
      .getByRole('list', { name: 'Unassigned patients' })
      .getByRole('link', { name: 'Assigned, Una' })
      .click();
    await waitVisible(page.getByText('In no care team: only administrators see this patient.'));
    await page.getByLabel('Heart failure nurses').check();
    await page.getByRole('button', { name: 'Save care teams' }).click();
    await waitVisible(page.getByText('In Heart failure nurses.'));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await nav(page, 'Patients').click();
    await page.getByLabel('Show the patients in no care team').check();
    await waitVisible(page.getByText('Every patient is in a care team.'));

    // The coordinator sees the patient now, and may change its teams among their own.
    const other = await signInToConsole(browser, stack.apiUrl, coordinator, {
      path: `/patients/${patientId}`,
    });
    sessions.push(other);
    await waitVisible(other.page.getByText('In Heart failure nurses.'));
    await waitVisible(other.page.getByRole('group', { name: 'Assign to your care teams' }));
    expect(await seriousAccessibilityViolations(other.page)).toEqual([]);

    // Removed from the team, the coordinator no longer finds the patient.
    await nav(page, 'Care teams').click();
    const remove = page.getByRole('button', { name: 'Remove Cora Coordinator from Heart failure nurses' });
    await remove.click();
    await remove.waitFor({ state: 'detached', timeout: 15_000 });
    await other.page.reload();
    await waitVisible(other.page.getByRole('heading', { name: 'Patient not found' }));

    // A team holding a patient is not offered for deletion; an empty one is renamed, then deleted.
    await waitVisible(page.getByText('To delete this team, move its patients to another team first.'));
    await page.getByLabel('Team name').fill('Weekend cover');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('button', { name: 'Rename Weekend cover', exact: true }).click();
    await page.getByLabel('New name for Weekend cover').fill('Night cover');
    await page.getByRole('button', { name: 'Save name', exact: true }).click();
    await waitVisible(page.getByRole('heading', { name: 'Night cover' }));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Delete Night cover', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm: delete Night cover', exact: true }).click();
    await page.getByRole('heading', { name: 'Night cover' }).waitFor({ state: 'detached', timeout: 15_000 });
    await waitVisible(page.getByRole('heading', { name: 'Heart failure nurses' }));
  });
});
