import type { Logger } from '@homeward/observability';
import { LoggingEmailTransport, LoggingSmsTransport } from './notification.transports';

describe('logging email and SMS transports (development)', () => {
  it('log who is told about which alert, and nothing about the patient or the reading', async () => {
    const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      info: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
    } as unknown as Logger;
    const notification = {
      id: 'n-1',
      kind: 'alert.escalated' as const,
      alertId: 'a-1',
      payload: { step: 1, severity: 'critical' as const },
      createdAt: '2026-11-26T05:00:00.000Z',
    };
    await new LoggingEmailTransport(logger).send(notification, {
      userId: 'u-1',
      organizationId: 'o-1',
      address: 'u1@example.org',
    });
    await new LoggingSmsTransport(logger).send(notification, {
      userId: 'u-2',
      organizationId: 'o-1',
      address: '+447700900123',
    });
    expect(lines).toEqual([
      {
        fields: {
          channel: 'email',
          notificationId: 'n-1',
          kind: 'alert.escalated',
          alertId: 'a-1',
          recipientUserId: 'u-1',
        },
        message: 'Notification (email, logging transport)',
      },
      {
        fields: {
          channel: 'sms',
          notificationId: 'n-1',
          kind: 'alert.escalated',
          alertId: 'a-1',
          recipientUserId: 'u-2',
        },
        message: 'Notification (sms, logging transport)',
      },
    ]);
  });
});
