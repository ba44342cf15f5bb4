import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { AccessModule, BreakGlassAnnouncer } from '@homeward/access';
import { IdentityModule, InvitationMailer } from '@homeward/identity';
import { OutboxBreakGlassAnnouncer } from './break-glass/outbox-break-glass.announcer';
import { OutboxInvitationMailer } from './invitations/outbox-invitation.mailer';
import { NotificationDeliveryService } from './outbox/notification-delivery.service';
import { NOTIFICATION_TRANSPORTS, type NotificationTransport } from './outbox/notification-transport';
import { NotificationJobs } from './outbox/notification.jobs';
import { NotificationRepository } from './outbox/notification.repository';
import { NotificationService } from './outbox/notification.service';
import {
  NotificationsDeliverProcessor,
  NotificationsSweepProcessor,
} from './outbox/notifications.processors';
import { NotificationPreferencesController } from './preferences/notification-preferences.controller';
import { NotificationPreferencesRepository } from './preferences/notification-preferences.repository';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';
import { SocketNotificationTransport } from './transports/notification.transports';
import { TRANSPORTS_PROVIDER } from './transports/transports.provider';
import { TwilioSignatureGuard } from './twilio/twilio-signature.guard';
import { TwilioWebhooksController } from './twilio/twilio-webhooks.controller';

/**
 * Telling people: the outbox that any domain adds notifications to in its own transaction,
 * users' channel preferences, and the lookup behind SMS replies. Imports nothing of alerting.
 */
@Module({
  imports: [IdentityModule, AccessModule],
  providers: [
    NotificationService,
    NotificationRepository,
    NotificationPreferencesRepository,
    NotificationJobs,
    TwilioSignatureGuard,
  ],
  exports: [NotificationService, NotificationJobs, TwilioSignatureGuard],
})
export class NotificationsModule {}

/**
 * Provides identity's `InvitationMailer` and access's `BreakGlassAnnouncer` (both the outbox) to
 * the whole process. Global because identity and access sit below notifications and cannot import
 * this module; apps load it with the HTTP modules.
 */
@Global()
@Module({
  imports: [NotificationsModule],
  providers: [
    { provide: InvitationMailer, useClass: OutboxInvitationMailer },
    { provide: BreakGlassAnnouncer, useClass: OutboxBreakGlassAnnouncer },
  ],
  exports: [InvitationMailer, BreakGlassAnnouncer],
})
export class InvitationMailModule {}

/** The transports own connections (SMTP): closed with the module. */
@Injectable()
class TransportsLifecycle implements OnModuleDestroy {
  constructor(@Inject(NOTIFICATION_TRANSPORTS) private readonly transports: NotificationTransport[]) {}

  onModuleDestroy(): void {
    for (const transport of this.transports) (transport as Partial<OnModuleDestroy>).onModuleDestroy?.();
  }
}

/** Delivery in worker processes: `notifications.deliver` through each channel's transport, and `notifications.sweep`. */
@Module({
  imports: [NotificationsModule, IdentityModule, AccessModule],
  providers: [
    NotificationDeliveryService,
    NotificationRepository,
    NotificationPreferencesRepository,
    NotificationsDeliverProcessor,
    NotificationsSweepProcessor,
    SocketNotificationTransport,
    TRANSPORTS_PROVIDER,
    TransportsLifecycle,
  ],
})
export class NotificationsJobsModule {}

/** Users' notification preferences and Twilio's delivery status callbacks. */
@Module({
  imports: [NotificationsModule, IdentityModule, AccessModule],
  controllers: [NotificationPreferencesController, TwilioWebhooksController],
  providers: [NotificationPreferencesService, NotificationPreferencesRepository],
})
export class NotificationsHttpModule {}

/** What a process that serves HTTP adds for notifications (and the invitation emails of identity's user management). */
export const NOTIFICATIONS_HTTP_MODULES = [NotificationsHttpModule, InvitationMailModule];
/** What a process that runs jobs adds for notifications. */
export const NOTIFICATIONS_JOB_MODULES = [NotificationsJobsModule];
