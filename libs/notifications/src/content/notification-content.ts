import type { NotificationDto } from '@homeward/contracts';

/** What an email or SMS says: never health information, only that there is something to open. */
export interface NotificationContent {
  subject: string;
  /** The email body. */
  text: string;
  /** The SMS body: one segment's worth of text and the link. */
  sms: string;
  link: string;
}

/**
 * Email and SMS leave the platform and sit on phones and mail servers we do not control, so they
 * name no patient, vital or value, only that the recipient has something to open; the console
 * shows the rest to whoever signs in (HIPAA's minimum-necessary standard, 45 CFR 164.502(b)).
 */
export function renderNotification(notification: NotificationDto, publicUrl: string): NotificationContent {
  const link = notification.alertId ? `${publicUrl}/alerts/${notification.alertId}` : `${publicUrl}/`;
  switch (notification.kind) {
    case 'alert.escalated':
      return {
        subject: 'Homeward: critical alert for a patient of yours',
        text: `Critical alert for a patient of yours — open Homeward:\n${link}\n`,
        sms: `Homeward: critical alert for a patient of yours — open Homeward: ${link} Reply ACK to acknowledge.`,
        link,
      };
    case 'visit.missed': {
      const visitLink = notification.payload.visitId
        ? `${publicUrl}/visits/${notification.payload.visitId}`
        : link;
      return {
        subject: 'Homeward: a video visit was missed',
        text: `A patient did not join a video visit you started — open Homeward:\n${visitLink}\n`,
        sms: `Homeward: a patient did not join a video visit you started — open Homeward: ${visitLink}`,
        link: visitLink,
      };
    }
    case 'patient.break_glass': {
      const patientLink = notification.payload.patientId
        ? `${publicUrl}/patients/${notification.payload.patientId}`
        : link;
      return {
        subject: 'Homeward: break-glass access to a patient of your care team',
        text: `Someone outside the care team opened a patient of yours with break-glass access — open Homeward:\n${patientLink}\n`,
        sms: `Homeward: break-glass access to a patient of your care team — open Homeward: ${patientLink}`,
        link: patientLink,
      };
    }
    case 'user.invited': {
      const invitationLink = notification.payload.invitationUrl ?? `${publicUrl}/`;
      const until = notification.payload.invitationExpiresAt
        ? ` It works once, until ${notification.payload.invitationExpiresAt.slice(0, 16).replace('T', ' ')} UTC.`
        : '';
      return {
        subject: 'Homeward: you are invited',
        text: `You have been invited to Homeward. Open this link to set your password:\n${invitationLink}\n${until}\n`,
        sms: `Homeward: you are invited — set your password: ${invitationLink}`,
        link: invitationLink,
      };
    }
  }
}
