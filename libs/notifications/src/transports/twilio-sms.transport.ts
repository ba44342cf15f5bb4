import { Injectable } from '@nestjs/common';
import type { NotificationDto } from '@homeward/contracts';
import { AppConfig, publicUrl } from '@homeward/config';
import { renderNotification } from '../content/notification-content';
import {
  NotificationTransportError,
  type NotificationReceipt,
  type NotificationRecipient,
  type NotificationTransport,
} from '../outbox/notification-transport';

/** Where Twilio posts each message's delivery status (`TwilioWebhooksController`). */
export const TWILIO_STATUS_PATH = '/api/webhooks/twilio/status';
/** Where Twilio posts SMS sent to TWILIO_FROM (alerting's acknowledgement by reply). */
export const TWILIO_INBOUND_PATH = '/api/webhooks/twilio/inbound';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * SMS through Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
 * form-encoded `To`, `From`, `Body`, `StatusCallback`, HTTP basic auth with the account SID and
 * auth token (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 * A 4xx other than 429 is the request's fault (an invalid number, say) and will not improve with
 * retries; 429, 5xx and network errors are retried.
 */
@Injectable()
export class TwilioSmsTransport implements NotificationTransport {
  readonly channel = 'sms';
  readonly name = 'twilio';
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly from: string;
  private readonly publicUrl: string;

  constructor(config: AppConfig) {
    const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM: from } = config;
    if (!sid || !token || !from)
      throw new Error('TwilioSmsTransport needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM');
    this.endpoint = `${config.TWILIO_API_URL}/2010-04-01/Accounts/${sid}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
    this.from = from;
    this.publicUrl = publicUrl(config);
  }

  async send(notification: NotificationDto, recipient: NotificationRecipient): Promise<NotificationReceipt> {
    if (!recipient.address) throw new NotificationTransportError('No phone number', true);
    const form = new URLSearchParams({
      To: recipient.address,
      From: this.from,
      Body: renderNotification(notification, this.publicUrl).sms,
      StatusCallback: `${this.publicUrl}${TWILIO_STATUS_PATH}`,
    });
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new NotificationTransportError(
        `Twilio unreachable: ${error instanceof Error ? error.message : String(error)}`,
        false,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      sid?: unknown;
      code?: unknown;
      message?: unknown;
    };
    if (response.ok && typeof body.sid === 'string') return { providerMessageId: body.sid };
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new NotificationTransportError(
      `Twilio ${response.status}${typeof body.code === 'number' ? ` (${body.code})` : ''}: ${typeof body.message === 'string' ? body.message : response.statusText}`,
      permanent,
    );
  }
}
