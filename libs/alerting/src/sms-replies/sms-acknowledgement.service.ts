import { Injectable } from '@nestjs/common';
import { escapeUnstorableText } from '@homeward/contracts';
import { ResourceNotFoundError } from '@homeward/platform';
import { UserService } from '@homeward/identity';
import { NotificationService } from '@homeward/notifications';
import { InjectLogger, type Logger } from '@homeward/observability';
import { AlertActionRefusedError } from '../alerts/alert.errors';
import { AlertService } from '../alerts/alert.service';

/** An SMS to the platform's number, as Twilio posts it (https://www.twilio.com/docs/messaging/guides/webhook-request). */
export interface SmsReply {
  from: string;
  body: string;
  messageSid: string;
}

export type SmsReplyOutcome =
  'acknowledged' | 'already_handled' | 'not_ack' | 'unknown_number' | 'inactive_user' | 'out_of_scope';

/** What the sender is told; nothing for unknown numbers and other text, so the number reveals nothing. */
const ANSWERS: Record<SmsReplyOutcome, string | null> = {
  acknowledged: 'Homeward: alert acknowledged. Thank you.',
  already_handled: 'Homeward: this alert was already acknowledged or closed.',
  not_ack: null,
  unknown_number: null,
  inactive_user: null,
  out_of_scope:
    "Homeward: this patient is not in your care teams, so the alert was not acknowledged. Open the console or call the patient's team.",
};

/**
 * `ACK` by SMS: from the number of a user who was texted about an alert in the last day, it
 * acknowledges the latest such alert as that user, through the same AlertService path as the
 * console (checked, recorded in the alert's history and the audit trail, pushed to consoles).
 */
@Injectable()
export class SmsAcknowledgementService {
  constructor(
    private readonly notifications: NotificationService,
    private readonly users: UserService,
    private readonly alerts: AlertService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async handle(reply: SmsReply): Promise<{ outcome: SmsReplyOutcome; answer: string | null }> {
    const outcome = await this.outcome(reply);
    return { outcome, answer: ANSWERS[outcome] };
  }

  private async outcome(reply: SmsReply): Promise<SmsReplyOutcome> {
    const fields = { messageSid: escapeUnstorableText(reply.messageSid).slice(0, 64) };
    const recipient = /^\+[1-9][0-9]{6,14}$/.test(reply.from)
      ? await this.notifications.latestSmsRecipient(reply.from)
      : undefined;
    if (!recipient) {
      this.logger.info({ ...fields, outcome: 'unknown_number' }, 'SMS reply from a number we did not text');
      return 'unknown_number';
    }
    const logged = { ...fields, userId: recipient.userId, alertId: recipient.alertId };
    if (reply.body.trim().toUpperCase() !== 'ACK') {
      this.logger.info({ ...logged, outcome: 'not_ack', length: reply.body.length }, 'SMS reply is not ACK');
      return 'not_ack';
    }
    const user = await this.users.findActive({
      organizationId: recipient.organizationId,
      userId: recipient.userId,
    });
    if (!user) {
      this.logger.warn({ ...logged, outcome: 'inactive_user' }, 'SMS ACK from a user no longer active');
      return 'inactive_user';
    }
    const principal = {
      userId: user.id,
      organizationId: user.organizationId,
      role: user.role,
      requestId: `sms-${fields.messageSid}`,
    };
    try {
      await this.alerts.act(principal, recipient.alertId, { action: 'acknowledge' });
    } catch (error) {
      // Texted as on call, but the patient is outside the user's care teams: their scope decides.
      if (error instanceof ResourceNotFoundError) {
        this.logger.warn(
          { ...logged, outcome: 'out_of_scope' },
          'SMS ACK for a patient outside the user’s care teams',
        );
        return 'out_of_scope';
      }
      if (!(error instanceof AlertActionRefusedError)) throw error;
      this.logger.info(
        { ...logged, outcome: 'already_handled' },
        'SMS ACK for an alert no longer awaiting one',
      );
      return 'already_handled';
    }
    this.logger.info({ ...logged, outcome: 'acknowledged' }, 'Alert acknowledged by SMS reply');
    return 'acknowledged';
  }
}
