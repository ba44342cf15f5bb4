import { Injectable } from '@nestjs/common';
import { ALERTS_NAMESPACE, type NotificationDto } from '@homeward/contracts';
import { AccessPolicy } from '@homeward/access';
import { InjectLogger, type Logger } from '@homeward/observability';
import { SocketEmitter } from '@homeward/platform';
import type { NotificationRecipient, NotificationTransport } from '../outbox/notification-transport';

/**
 * The recipient's open sockets on `/alerts`, on whichever API instance holds them. Handed to
 * Redis is as far as it goes: a user with no socket open misses it live and finds the alert
 * (assigned to them, escalated) in the queue.
 */
@Injectable()
export class SocketNotificationTransport implements NotificationTransport {
  readonly channel = 'socket';
  readonly name = 'socket.io';

  constructor(
    private readonly emitter: SocketEmitter,
    private readonly access: AccessPolicy,
  ) {}

  send(notification: NotificationDto, recipient: NotificationRecipient): Promise<void> {
    this.emitter.emit(
      ALERTS_NAMESPACE,
      this.access.userRooms(recipient.userId),
      'notification',
      notification,
    );
    return Promise.resolve();
  }
}

/**
 * Email and SMS in development when SMTP_URL or TWILIO_* is not set: each notification is logged
 * (ids and kind, no health data, no address) instead of sent, so the demo runs without providers.
 * Production refuses to start that way (loadConfig).
 */
abstract class LoggingTransport implements NotificationTransport {
  abstract readonly channel: 'email' | 'sms';
  readonly name = 'logging';

  constructor(private readonly logger: Logger) {}

  send(notification: NotificationDto, recipient: NotificationRecipient): Promise<void> {
    this.logger.info(
      {
        channel: this.channel,
        notificationId: notification.id,
        kind: notification.kind,
        alertId: notification.alertId,
        recipientUserId: recipient.userId,
      },
      `Notification (${this.channel}, logging transport)`,
    );
    return Promise.resolve();
  }
}

@Injectable()
export class LoggingEmailTransport extends LoggingTransport {
  readonly channel = 'email';

  constructor(@InjectLogger() logger: Logger) {
    super(logger);
  }
}

@Injectable()
export class LoggingSmsTransport extends LoggingTransport {
  readonly channel = 'sms';

  constructor(@InjectLogger() logger: Logger) {
    super(logger);
  }
}
