import type { NotificationDto } from '@homeward/contracts';
import { renderNotification } from './notification-content';

describe('the text of email and SMS notifications', () => {
  const escalated: NotificationDto = {
    id: 'b8f3f8a4-54a4-4b5e-9a36-5f1c2a9f7b10',
    kind: 'alert.escalated',
    alertId: '0c7d3b52-2f0e-4c85-8f4b-0d6a3c3e9f11',
    payload: { step: 1, severity: 'critical', reason: 'nobody_on_call' },
    createdAt: '2026-12-07T03:00:00.000Z',
  };

  it('says only that a patient of yours has a critical alert, with a link to it in the console', () => {
    const content = renderNotification(escalated, 'https://homeward.example.org');
    const link = 'https://homeward.example.org/alerts/0c7d3b52-2f0e-4c85-8f4b-0d6a3c3e9f11';
    expect(content).toEqual({
      subject: 'Homeward: critical alert for a patient of yours',
      text: `Critical alert for a patient of yours — open Homeward:\n${link}\n`,
      sms: `Homeward: critical alert for a patient of yours — open Homeward: ${link} Reply ACK to acknowledge.`,
      link,
    });
    // Nothing of the payload leaves: not the step, not why it went to this person.
    expect(JSON.stringify(content)).not.toMatch(/step|nobody|on_call|severity/);
    // One GSM-7 segment is 160 characters; the em dash makes it UCS-2, 70 per segment: at most 3.
    expect(content.sms.length).toBeLessThanOrEqual(201);
  });

  it('links to the console itself when a notification names no alert', () => {
    expect(renderNotification({ ...escalated, alertId: null }, 'http://localhost:3000').link).toBe(
      'http://localhost:3000/',
    );
  });

  it('says that someone broke the glass on a patient of yours, naming neither them nor the reason', () => {
    const content = renderNotification(
      {
        ...escalated,
        kind: 'patient.break_glass',
        alertId: null,
        payload: {
          patientId: '5d1c3a52-2f0e-4c85-8f4b-0d6a3c3e9f12',
          breakGlass: {
            grantId: '6e2d4b63-3f1f-4d96-9a5c-1e7b4d4f0a23',
            userId: '7f3e5c74-4a2a-4ea7-8b6d-2f8c5e5a1b34',
            userName: 'Dr Ramos',
            reason: 'Covering the night shift',
            expiresAt: '2026-12-07T04:00:00.000Z',
          },
        },
      },
      'https://homeward.example.org',
    );
    expect(content.link).toBe('https://homeward.example.org/patients/5d1c3a52-2f0e-4c85-8f4b-0d6a3c3e9f12');
    expect(content.subject).toBe('Homeward: break-glass access to a patient of your care team');
    expect(JSON.stringify(content)).not.toMatch(/Ramos|night shift|7f3e5c74/);
    expect(content.sms.length).toBeLessThanOrEqual(201);
  });
});
