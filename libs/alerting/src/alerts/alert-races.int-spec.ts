import type { Principal } from '@homeward/access';
import {
  alertHistory,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  storeReadingBatch,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule, AlertingModule } from '../alerting.module';
import { AlertEvaluationService } from './alert-evaluation.service';
import { AlertService } from './alert.service';

const ROUNDS = 20;

/**
 * Two compatible actions at the same moment (issue 18, item 10): both succeed, and the alert's
 * history still tells one story — each event starts where the previous one ended — and an
 * acknowledgement never takes over an assignment made meanwhile.
 */
describe('concurrent actions on one alert (AlertService against PostgreSQL)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let alerts: AlertService;
  let organization: string;
  let acknowledger: Principal;
  let lead: Principal;
  let assignee: string;
  let batch = 0;

  /** A fresh open warning (heart rate 115) of a patient of its own. */
  const openWarning = async (): Promise<string> => {
    const patient = await createPatient(database.pool, organization);
    const device = await createDevice(database.pool, organization, patient);
    const batchId = await storeReadingBatch(database.pool, { patient, device }, [
      { type: 'heart_rate', value: 115, measuredAt: new Date(Date.now() - 60_000) },
    ]);
    await evaluation.evaluateBatch(batchId, `races-${batch++}`);
    const { rows } = await database.pool.query<{ id: string; status: string }>(
      'SELECT id, status FROM alerts WHERE patient_id = $1',
      [patient],
    );
    expect(rows).toEqual([{ id: expect.any(String), status: 'open' }]);
    return rows[0].id;
  };

  /** The stored row and whether its history is one chain from `open` to the alert's state. */
  const story = async (alertId: string) => {
    const { rows } = await database.pool.query<{ status: string; assigned_to: string | null }>(
      'SELECT status, assigned_to FROM alerts WHERE id = $1',
      [alertId],
    );
    const events = await alertHistory(database.pool, alertId);
    const breaks = events.filter(
      (event, index) => event.from_status !== (index === 0 ? 'open' : events[index - 1].to_status),
    );
    const last = events.length > 0 ? events[events.length - 1].to_status : 'open';
    return { ...rows[0], events: events.length, breaks, endsAtRow: last === rows[0].status };
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingJobsModule, AlertingModule],
    });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    alerts = integration.moduleRef.get(AlertService);
    organization = await createOrganization(database.pool);
    const coordinator = await createUser(database.pool, organization, 'coordinator');
    acknowledger = { userId: coordinator.id, organizationId: organization, role: 'coordinator' };
    const admin = await createUser(database.pool, organization, 'admin');
    lead = { userId: admin.id, organizationId: organization, role: 'admin' };
    assignee = (await createUser(database.pool, organization, 'clinician')).id;
  });

  afterAll(async () => {
    await integration?.close();
  });

  it(`acknowledge and escalate at once, ${ROUNDS} times: both succeed and each event starts where the last ended`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await openWarning();
      await Promise.all([
        alerts.act(acknowledger, id, { action: 'acknowledge' }),
        alerts.act(lead, id, { action: 'escalate' }),
      ]);
      expect(await story(id)).toMatchObject({ events: 2, breaks: [], endsAtRow: true });
    }
  });

  it(`assign and acknowledge at once, ${ROUNDS} times: the assignment survives and the history is one chain`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await openWarning();
      await Promise.all([
        alerts.act(lead, id, { action: 'assign', userId: assignee }),
        alerts.act(acknowledger, id, { action: 'acknowledge' }),
      ]);
      expect(await story(id)).toMatchObject({
        status: 'acknowledged',
        assigned_to: assignee,
        events: 2,
        breaks: [],
        endsAtRow: true,
      });
    }
  });

  it('acknowledging an unassigned alert assigns it to the acknowledger', async () => {
    const id = await openWarning();
    await alerts.act(acknowledger, id, { action: 'acknowledge' });
    expect(await story(id)).toMatchObject({ status: 'acknowledged', assigned_to: acknowledger.userId });
  });
});
