import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationDto } from '@homeward/contracts';
import { AppConfig, publicUrl } from '@homeward/config';
import { renderNotification } from '../content/notification-content';
import {
  NotificationTransportError,
  type NotificationReceipt,
  type NotificationRecipient,
  type NotificationTransport,
} from '../outbox/notification-transport';

/** SMTP reply codes 5xx are permanent failures; 4xx and connection errors are worth retrying (RFC 5321 §4.2.1). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Email through the SMTP server at SMTP_URL, from NOTIFY_FROM (nodemailer). */
@Injectable()
export class SmtpEmailTransport implements NotificationTransport, OnModuleDestroy {
  readonly channel = 'email';
  readonly name = 'smtp';
  private readonly transporter: Transporter;
  private readonly from: string;
  private readonly publicUrl: string;

  constructor(config: AppConfig) {
    if (!config.SMTP_URL || !config.NOTIFY_FROM)
      throw new Error('SmtpEmailTransport needs SMTP_URL and NOTIFY_FROM');
    // Nothing connects until the first message; a notification waits at most this long on a dead server.
    this.transporter = createTransport({
      url: config.SMTP_URL,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.from = config.NOTIFY_FROM;
    this.publicUrl = publicUrl(config);
  }

  async send(notification: NotificationDto, recipient: NotificationRecipient): Promise<NotificationReceipt> {
    if (!recipient.address) throw new NotificationTransportError('No email address', true);
    const content = renderNotification(notification, this.publicUrl);
    try {
      const info = (await this.transporter.sendMail({
        from: this.from,
        to: recipient.address,
        subject: content.subject,
        text: content.text,
      })) as { messageId?: string };
      return { providerMessageId: info.messageId };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new NotificationTransportError(`SMTP: ${message}`, isPermanent(error));
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}
