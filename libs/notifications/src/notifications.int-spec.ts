import { randomUUID } from 'node:crypto';
import type { Principal } from '@homeward/access';
import { Database } from '@homeward/platform';
import {
  SmtpMailbox,
  TwilioDouble,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestUser,
} from '@homeward/testing';
import { InvitationMailer } from '@homeward/identity';
import {
  InvitationMailModule,
  NotificationsHttpModule,
  NotificationsJobsModule,
  NotificationsModule,
} from './notifications.module';
import { NotificationDeliveryService } from './outbox/notification-delivery.service';
import { NOTIFICATION_MAX_ATTEMPTS } from './outbox/notification.jobs';
import { NotificationService } from './outbox/notification.service';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';
import { TwilioSmsTransport } from './transports/twilio-sms.transport';
import { NotificationTransportError } from './outbox/notification-transport';
import { AppConfig } from '@homeward/config';

interface OutboxRow {
  id: string;
  channel: string;
  status: string;
  attempts: number;
}

describe('notifications by email and SMS (real SMTP server, Twilio double, PostgreSQL, Redis)', () => {
  let integration: IntegrationModule;
  let mailbox: SmtpMailbox;
  let twilio: TwilioDouble;
  let notifications: NotificationService;
  let delivery: NotificationDeliveryService;
  let preferences: NotificationPreferencesService;
  let organization: string;
  let admin: TestUser;
  let clinician: TestUser;
  const PUBLIC_URL = 'https://homeward.example.org';

  const principal = (user: TestUser): Principal => ({
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
  });

  const pool = () => integration.database.pool;

  /** An alert row for the outbox to name; what it says does not matter here. */
  const newAlert = async (): Promise<string> => {
    const patient = await createPatient(pool(), organization);
    const { rows } = await pool().query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                           correlation_id, episode_key)
       VALUES ($1, $2, $3, 'threshold', 'test', 'critical', 'open', 'test', $3) RETURNING id`,
      [organization, patient, `rule.${randomUUID().slice(0, 8)}`],
    );
    return rows[0].id;
  };

  /** Escalation-style notifications to `users` about a new alert, committed; returns the alert id. */
  const notify = async (...users: TestUser[]): Promise<{ alertId: string; ids: string[] }> => {
    const alertId = await newAlert();
    const ids = await integration.moduleRef.get(Database).transaction((tx) =>
      notifications.notify(
        {
          organizationId: organization,
          userIds: users.map((user) => user.id),
          kind: 'alert.escalated',
          alertId,
          payload: { step: 1, severity: 'critical' },
        },
        tx,
      ),
    );
    return { alertId, ids };
  };

  const outbox = async (alertId: string): Promise<OutboxRow[]> =>
    (
      await pool().query<OutboxRow>(
        'SELECT id, channel, status, attempts FROM notification_outbox WHERE alert_id = $1 ORDER BY created_at, channel',
        [alertId],
      )
    ).rows;

  /** Delivers every pending email and SMS of an alert, as the job would, until none is left. */
  const deliverAll = async (alertId: string): Promise<void> => {
    for (let round = 0; round < 5; round++) {
      const pending = (await outbox(alertId)).filter(
        (row) => row.status === 'pending' && row.channel !== 'socket',
      );
      if (pending.length === 0) return;
      for (const row of pending) await delivery.deliver(row.id).catch(() => undefined);
    }
  };

  beforeAll(async () => {
    [mailbox, twilio] = await Promise.all([SmtpMailbox.start(), TwilioDouble.start()]);
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [NotificationsModule, NotificationsJobsModule, NotificationsHttpModule, InvitationMailModule],
      env: {
        NOTIFICATION_CHANNELS: 'socket,email,sms',
        SMTP_URL: mailbox.url,
        NOTIFY_FROM: 'Homeward <alerts@homeward.example.org>',
        PUBLIC_URL,
        ...twilio.env(),
      },
    });
    notifications = integration.moduleRef.get(NotificationService);
    delivery = integration.moduleRef.get(NotificationDeliveryService);
    preferences = integration.moduleRef.get(NotificationPreferencesService);
    organization = await createOrganization(pool(), 'Notifications Org');
    admin = await createUser(pool(), organization, 'admin');
    clinician = await createUser(pool(), organization, 'clinician');
  });

  afterAll(async () => {
    await integration?.close();
    await Promise.all([mailbox?.stop(), twilio?.stop()]);
  });

  it('emails a user with an email address by default, through the SMTP server, with nothing but the link', async () => {
    const { alertId } = await notify(admin);
    expect((await outbox(alertId)).map((row) => row.channel).sort()).toEqual(['email', 'socket']);
    await deliverAll(alertId);

    const [mail] = mailbox.to(admin.email);
    expect(mail.from).toBe('alerts@homeward.example.org');
    expect(mail.parsed.subject).toBe('Homeward: critical alert for a patient of yours');
    expect(mail.parsed.text).toBe(
      `Critical alert for a patient of yours — open Homeward:\n${PUBLIC_URL}/alerts/${alertId}\n`,
    );
    expect((await outbox(alertId)).find((row) => row.channel === 'email')).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
  });

  it('emails an invitation link, and nothing else, through the SMTP server', async () => {
    const invited = await createUser(pool(), organization, 'coordinator');
    await pool().query('UPDATE users SET password_hash = NULL WHERE id = $1', [invited.id]);
    const url = `${PUBLIC_URL}/invitations/accept?code=${randomUUID()}`;
    const expiresAt = new Date('2030-01-02T03:04:05Z');
    const mailer = integration.moduleRef.get(InvitationMailer);
    const ids = await integration.moduleRef
      .get(Database)
      .transaction((tx) =>
        mailer.add({ organizationId: organization, userId: invited.id, url, expiresAt }, tx),
      );
    expect(ids).toHaveLength(1);
    await delivery.deliver(ids[0]);
    const [mail] = mailbox.to(invited.email);
    expect(mail.parsed.subject).toBe('Homeward: you are invited');
    expect(mail.parsed.text).toContain(`${url}\n`);
    expect(mail.parsed.text).toContain('until 2030-01-02 03:04 UTC');
    // Sent: the outbox forgets the link, which only the user's mailbox keeps.
    const { rows } = await pool().query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM notification_outbox WHERE id = $1',
      [ids[0]],
    );
    expect(rows[0].payload).toEqual({ invitationExpiresAt: expiresAt.toISOString() });
  });

  it('texts a user who gave a number, through Twilio with its credentials, and records its delivery report', async () => {
    const phone = '+447700900101';
    await preferences.set(principal(clinician), clinician.id, { phone });
    const { alertId } = await notify(clinician);
    expect((await outbox(alertId)).map((row) => row.channel).sort()).toEqual(['email', 'sms', 'socket']);
    await deliverAll(alertId);

    const [sms] = twilio.to(phone);
    expect(sms).toEqual({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      to: phone,
      from: twilio.from,
      body: `Homeward: critical alert for a patient of yours — open Homeward: ${PUBLIC_URL}/alerts/${alertId} Reply ACK to acknowledge.`,
      statusCallback: `${PUBLIC_URL}/api/webhooks/twilio/status`,
    });
    expect(twilio.unauthorized).toBe(0);
    expect(mailbox.to(clinician.email).some((mail) => mail.parsed.text?.includes(alertId))).toBe(true);

    await notifications.recordProviderStatus({
      providerMessageId: sms.sid,
      status: 'delivered',
      error: null,
    });
    const smsRow = (await outbox(alertId)).find((row) => row.channel === 'sms')!;
    expect(smsRow.status).toBe('delivered');
    // A late or repeated callback changes nothing.
    await notifications.recordProviderStatus({
      providerMessageId: sms.sid,
      status: 'failed',
      error: '30003',
    });
    expect((await outbox(alertId)).find((row) => row.channel === 'sms')?.status).toBe('delivered');
    expect(await notifications.latestSmsRecipient(phone)).toEqual({
      userId: clinician.id,
      organizationId: organization,
      alertId,
      notificationId: smsRow.id,
    });
  });

  it('falls back to email when Twilio reports an SMS undelivered', async () => {
    const user = await createUser(pool(), organization, 'clinician');
    const phone = '+447700900102';
    await preferences.set(principal(admin), user.id, { phone, channels: ['sms'] });
    const { alertId } = await notify(user);
    expect((await outbox(alertId)).map((row) => row.channel).sort()).toEqual(['sms', 'socket']);
    await deliverAll(alertId);
    expect(mailbox.to(user.email)).toEqual([]);

    await notifications.recordProviderStatus({
      providerMessageId: twilio.to(phone)[0].sid,
      status: 'undelivered',
      error: '30003',
    });
    const rows = await outbox(alertId);
    expect(rows.map((row) => [row.channel, row.status])).toEqual(
      expect.arrayContaining([
        ['sms', 'failed'],
        ['email', 'pending'],
      ]),
    );
    await deliverAll(alertId);
    expect(mailbox.to(user.email)).toHaveLength(1);
  });

  it('falls back at once when the provider refuses for good: an invalid number to email, a rejected address to SMS', async () => {
    const texted = await createUser(pool(), organization, 'clinician');
    const badNumber = '+447700900103';
    twilio.invalidNumbers.add(badNumber);
    await preferences.set(principal(texted), texted.id, { phone: badNumber, channels: ['sms'] });
    const first = await notify(texted);
    await deliverAll(first.alertId);
    expect(
      (await outbox(first.alertId)).map((row) => [row.channel, row.status, row.attempts]).sort(),
    ).toEqual([
      ['email', 'sent', 1],
      ['sms', 'failed', 1],
      ['socket', 'pending', 0],
    ]);
    const { rows: attempts } = await pool().query<{ error: string }>(
      `SELECT d.error FROM notification_deliveries d JOIN notification_outbox o ON o.id = d.notification_id
       WHERE o.alert_id = $1 AND o.channel = 'sms'`,
      [first.alertId],
    );
    expect(attempts).toEqual([{ error: expect.stringContaining('Twilio 400 (21211)') }]);

    const emailed = await createUser(pool(), organization, 'clinician');
    mailbox.reject.add(emailed.email.toLowerCase());
    await preferences.set(principal(emailed), emailed.id, { phone: '+447700900104', channels: ['email'] });
    const second = await notify(emailed);
    await deliverAll(second.alertId);
    expect((await outbox(second.alertId)).map((row) => [row.channel, row.status]).sort()).toEqual([
      ['email', 'failed'],
      ['sms', 'sent'],
      ['socket', 'pending'],
    ]);
    expect(twilio.to('+447700900104')).toHaveLength(1);
  });

  it('retries an email the server defers, and after the last attempt hands over to SMS', async () => {
    const user = await createUser(pool(), organization, 'clinician');
    await preferences.set(principal(user), user.id, { phone: '+447700900105', channels: ['email'] });
    mailbox.defer.add(user.email.toLowerCase());
    const { alertId } = await notify(user);
    const email = (await outbox(alertId)).find((row) => row.channel === 'email')!;
    await expect(delivery.deliver(email.id)).rejects.toThrow(/attempt 1 failed: SMTP: .*451/);
    expect((await outbox(alertId)).map((row) => [row.channel, row.status, row.attempts]).sort()).toEqual([
      ['email', 'pending', 1],
      ['socket', 'pending', 0],
    ]);
    // Skip to the last attempt.
    await pool().query('UPDATE notification_outbox SET attempts = $2 WHERE id = $1', [
      email.id,
      NOTIFICATION_MAX_ATTEMPTS - 1,
    ]);
    await delivery.deliver(email.id);
    expect((await outbox(alertId)).map((row) => [row.channel, row.status]).sort()).toEqual([
      ['email', 'failed'],
      ['sms', 'pending'],
      ['socket', 'pending'],
    ]);
    await deliverAll(alertId);
    expect(twilio.to('+447700900105')).toHaveLength(1);
    // Given up: the server takes mail again, and another run of the job sends none.
    mailbox.defer.clear();
    await delivery.deliver(email.id);
    expect(mailbox.to(user.email)).toEqual([]);
  });

  it('is refused by Twilio with wrong credentials, a failure no retry cures', async () => {
    const config = integration.moduleRef.get(AppConfig);
    const wrong = new TwilioSmsTransport({
      ...config,
      TWILIO_AUTH_TOKEN: 'not-the-account-token',
    });
    const before = twilio.unauthorized;
    const sent = wrong.send(
      {
        id: randomUUID(),
        kind: 'alert.escalated',
        alertId: null,
        payload: {},
        createdAt: new Date().toISOString(),
      },
      { userId: admin.id, organizationId: organization, address: '+447700900150' },
    );
    await expect(sent).rejects.toEqual(
      new NotificationTransportError('Twilio 401 (20003): Authenticate', true),
    );
    expect(twilio.unauthorized).toBe(before + 1);
    expect(twilio.to('+447700900150')).toEqual([]);
  });

  it("lets users set their own number and order, refusing SMS without a number, and admins anyone's in their organisation only", async () => {
    const user = await createUser(pool(), organization, 'coordinator');
    expect(await preferences.get(principal(user), user.id)).toEqual({
      userId: user.id,
      email: user.email,
      phone: null,
      channels: null,
      sendsTo: ['socket', 'email'],
      fallbackOrder: ['email'],
    });
    await expect(preferences.set(principal(user), user.id, { channels: ['sms'] })).rejects.toMatchObject({
      response: { code: 'phone_required' },
    });
    expect(
      await preferences.set(principal(user), user.id, { phone: '+14155550123', channels: ['sms', 'email'] }),
    ).toMatchObject({
      phone: '+14155550123',
      sendsTo: ['socket', 'sms', 'email'],
      fallbackOrder: ['sms', 'email'],
    });
    // Clearing the number while SMS is chosen is refused too.
    await expect(preferences.set(principal(user), user.id, { phone: null })).rejects.toMatchObject({
      response: { code: 'phone_required' },
    });
    expect(await preferences.set(principal(user), user.id, { channels: null, phone: null })).toMatchObject({
      channels: null,
      sendsTo: ['socket', 'email'],
    });

    const elsewhere = await createUser(pool(), await createOrganization(pool()), 'clinician');
    await expect(preferences.get(principal(admin), elsewhere.id)).rejects.toMatchObject({ status: 404 });
    const { rows } = await pool().query<{ action: string }>(
      `SELECT action FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'notification_preferences.%' ORDER BY id`,
      [user.id],
    );
    expect(rows.map((row) => row.action)).toEqual([
      'notification_preferences.read',
      'notification_preferences.set',
      'notification_preferences.set',
    ]);
  });

  it('matches an SMS reply to the user only while the number is still theirs', async () => {
    const user = await createUser(pool(), organization, 'clinician');
    const phone = '+447700900106';
    await preferences.set(principal(user), user.id, { phone });
    const { alertId } = await notify(user);
    await deliverAll(alertId);
    expect(await notifications.latestSmsRecipient(phone)).toMatchObject({ userId: user.id, alertId });
    expect(await notifications.latestSmsRecipient('+447700900199')).toBeUndefined();
    await preferences.set(principal(user), user.id, { phone: '+447700900107' });
    expect(await notifications.latestSmsRecipient(phone)).toBeUndefined();
  });
});
