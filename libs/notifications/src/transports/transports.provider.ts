import type { Provider } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import { NOTIFICATION_TRANSPORTS, type NotificationTransport } from '../outbox/notification-transport';
import {
  LoggingEmailTransport,
  LoggingSmsTransport,
  SocketNotificationTransport,
} from './notification.transports';
import { SmtpEmailTransport } from './smtp-email.transport';
import { TwilioSmsTransport } from './twilio-sms.transport';

/**
 * One transport per channel: SMTP when SMTP_URL is set and Twilio when TWILIO_* are, else (in
 * development; production refuses to start without them) the logging stand-ins, said so at start-up.
 */
export const TRANSPORTS_PROVIDER: Provider = {
  provide: NOTIFICATION_TRANSPORTS,
  inject: [AppConfig, LOGGER, SocketNotificationTransport],
  useFactory: (
    config: AppConfig,
    logger: Logger,
    socket: SocketNotificationTransport,
  ): NotificationTransport[] => {
    const enabled = config.NOTIFICATION_CHANNELS;
    const email = config.SMTP_URL ? new SmtpEmailTransport(config) : new LoggingEmailTransport(logger);
    const sms = config.TWILIO_ACCOUNT_SID ? new TwilioSmsTransport(config) : new LoggingSmsTransport(logger);
    for (const transport of [email, sms])
      if (enabled.includes(transport.channel) && transport.name === 'logging')
        logger.warn(
          { channel: transport.channel },
          `${transport.channel} notifications are only logged: ${transport.channel === 'email' ? 'SMTP_URL' : 'TWILIO_*'} is not set`,
        );
    return [socket, email, sms];
  },
};
