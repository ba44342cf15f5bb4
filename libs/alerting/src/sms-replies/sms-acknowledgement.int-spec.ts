import { randomUUID } from 'node:crypto';
import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestUser,
} from '@homeward/testing';
import { AlertingHttpModule } from '../alerting-http.module';
import { SmsAcknowledgementService } from './sms-acknowledgement.service';

describe('acknowledging an alert by SMS reply (PostgreSQL, Redis)', () => {
  let integration: IntegrationModule;
  let acknowledgements: SmsAcknowledgementService;
  let organization: string;
  let clinician: TestUser;
  let phone: string;
  let counter = 0;

  const pool = () => integration.database.pool;

  /** An escalated critical alert and an SMS about it handed to Twilio `ago` before now. */
  const textedAbout = async (user: TestUser, to: string, ago = '1 minute'): Promise<string> => {
    const patient = await createPatient(pool(), organization);
    const { rows } = await pool().query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                           correlation_id, episode_key)
       VALUES ($1, $2, $3, 'threshold', 'test', 'critical', 'escalated', 'test', $3) RETURNING id`,
      [organization, patient, `rule.${randomUUID().slice(0, 8)}`],
    );
    const alertId = rows[0].id;
    const { rows: outbox } = await pool().query<{ id: string }>(
      `INSERT INTO notification_outbox (organization_id, recipient_user_id, channel, kind, alert_id, payload, status, attempts)
       VALUES ($1, $2, 'sms', 'alert.escalated', $3, '{"step": 1}', 'sent', 1) RETURNING id`,
      [organization, user.id, alertId],
    );
    await pool().query(
      `INSERT INTO notification_deliveries (notification_id, attempt, transport, outcome, address, provider_message_id, attempted_at)
       VALUES ($1, 1, 'twilio', 'sent', $2, $3, now() - $4::interval)`,
      [outbox[0].id, to, `SM${randomUUID().replaceAll('-', '')}`, ago],
    );
    return alertId;
  };

  const givePhone = async (user: TestUser): Promise<string> => {
    const number = `+4477009002${String(counter++).padStart(2, '0')}`;
    await pool().query(
      'INSERT INTO notification_preferences (user_id, organization_id, phone) VALUES ($1, $2, $3)',
      [user.id, organization, number],
    );
    return number;
  };

  const alert = async (id: string) =>
    (
      await pool().query<{ status: string; assigned_to: string | null }>(
        'SELECT status, assigned_to FROM alerts WHERE id = $1',
        [id],
      )
    ).rows[0];

  const reply = (from: string, body: string) =>
    acknowledgements.handle({ from, body, messageSid: `SM${randomUUID().replaceAll('-', '')}` });

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [AlertingHttpModule],
      env: { JWT_SECRET: 'sms-acknowledgement-test-secret-0123456789' },
    });
    acknowledgements = integration.moduleRef.get(SmsAcknowledgementService);
    organization = await createOrganization(pool(), 'SMS Org');
    clinician = await createUser(pool(), organization, 'clinician');
    phone = await givePhone(clinician);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('acknowledges the latest alert texted to the number, as its user, whatever the case and spacing of ACK', async () => {
    await textedAbout(clinician, phone, '10 minutes');
    const latest = await textedAbout(clinician, phone);
    expect(await reply(phone, '  Ack\n')).toEqual({
      outcome: 'acknowledged',
      answer: 'Homeward: alert acknowledged. Thank you.',
    });
    // As from the console: an unassigned alert is theirs once they acknowledge it.
    expect(await alert(latest)).toEqual({ status: 'acknowledged', assigned_to: clinician.id });
    const { rows } = await pool().query<{ action: string; actor_user_id: string; to_status: string }>(
      "SELECT action, actor_user_id, to_status FROM alert_events WHERE alert_id = $1 AND action = 'acknowledge'",
      [latest],
    );
    expect(rows).toEqual([{ action: 'acknowledge', actor_user_id: clinician.id, to_status: 'acknowledged' }]);
    // Again: the alert no longer awaits an acknowledgement, and the sender is told.
    expect(await reply(phone, 'ACK')).toEqual({
      outcome: 'already_handled',
      answer: 'Homeward: this alert was already acknowledged or closed.',
    });
  });

  it('does nothing for other text, other numbers, old messages or a user no longer active', async () => {
    const alertId = await textedAbout(clinician, phone);
    for (const body of ['ACK please', 'A C K', 'yes', '', 'ACK\u0000'])
      expect(await reply(phone, body)).toEqual({ outcome: 'not_ack', answer: null });
    expect(await reply('+447700900999', 'ACK')).toEqual({ outcome: 'unknown_number', answer: null });
    expect(await reply('07700 900200', 'ACK')).toEqual({ outcome: 'unknown_number', answer: null });
    expect((await alert(alertId)).status).toBe('escalated');

    const away = await createUser(pool(), organization, 'clinician');
    const awayPhone = await givePhone(away);
    const stale = await textedAbout(away, awayPhone, '25 hours');
    expect(await reply(awayPhone, 'ACK')).toEqual({ outcome: 'unknown_number', answer: null });
    expect((await alert(stale)).status).toBe('escalated');

    const gone = await createUser(pool(), organization, 'clinician');
    const gonePhone = await givePhone(gone);
    const orphan = await textedAbout(gone, gonePhone);
    await pool().query('UPDATE users SET disabled_at = now() WHERE id = $1', [gone.id]);
    expect(await reply(gonePhone, 'ACK')).toEqual({ outcome: 'inactive_user', answer: null });
    expect((await alert(orphan)).status).toBe('escalated');
  });

  it('tells a user texted about a patient outside their care teams that nothing was acknowledged', async () => {
    const elsewhere = await createUser(pool(), organization, 'clinician', { careTeam: 'Elsewhere' });
    const elsewherePhone = await givePhone(elsewhere);
    const alertId = await textedAbout(elsewhere, elsewherePhone);
    expect(await reply(elsewherePhone, 'ACK')).toEqual({
      outcome: 'out_of_scope',
      answer: expect.stringContaining('not in your care teams') as string,
    });
    expect((await alert(alertId)).status).toBe('escalated');
  });
});
