import { BadRequestException, Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { AuditService, UserService } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import { contactOrder, initialChannels } from '../outbox/channel-plan';
import type {
  ContactChannel,
  NotificationChannel,
  NotificationPreferencesRow,
} from '../outbox/notification.rows';
import { NotificationPreferencesRepository } from './notification-preferences.repository';

export interface NotificationPreferencesView {
  userId: string;
  email: string;
  phone: string | null;
  channels: ContactChannel[] | null;
  sendsTo: NotificationChannel[];
  fallbackOrder: ContactChannel[];
}

function refused(code: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', code, message });
}

/** A user's phone number and channel order: each user their own, admins their organisation's. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly db: Database,
    private readonly preferences: NotificationPreferencesRepository,
    private readonly users: UserService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async get(principal: Principal, userId: string): Promise<NotificationPreferencesView> {
    const user = await this.colleague(principal, userId);
    await this.audit.record(principal, 'notification_preferences.read', {
      resourceType: 'notification_preferences',
      resourceId: userId,
    });
    return this.view(user, await this.preferences.find(userId));
  }

  /**
   * Changes what `input` names. Refuses a channel the deployment does not enable and SMS without a
   * number, so a user never believes they will be texted when they will not.
   */
  async set(
    principal: Principal,
    userId: string,
    input: { phone?: string | null; channels?: ContactChannel[] | null },
  ): Promise<NotificationPreferencesView> {
    const user = await this.colleague(principal, userId);
    const row = await this.db.transaction(async (tx) => {
      const current = await this.preferences.find(userId, tx);
      const phone = input.phone === undefined ? (current?.phone ?? null) : input.phone;
      const channels = input.channels === undefined ? (current?.channels ?? null) : input.channels;
      const disabled = (channels ?? []).filter(
        (channel) => !this.config.NOTIFICATION_CHANNELS.includes(channel),
      );
      if (disabled.length > 0)
        throw refused(
          'channel_not_enabled',
          `This deployment does not send ${disabled.join(', ')} notifications`,
        );
      if (channels?.includes('sms') && !phone) throw refused('phone_required', 'SMS needs a phone number');
      const saved = await this.preferences.upsert(
        { userId, organizationId: principal.organizationId, phone, channels, updatedBy: principal.userId },
        tx,
      );
      await this.audit.record(
        principal,
        'notification_preferences.set',
        { resourceType: 'notification_preferences', resourceId: userId },
        tx,
      );
      return saved;
    });
    return this.view(user, row);
  }

  private async colleague(principal: Principal, userId: string): Promise<{ id: string; email: string }> {
    const user = await this.users.findActive({ organizationId: principal.organizationId, userId });
    if (!user) throw new ResourceNotFoundError('User', userId);
    return user;
  }

  private view(
    user: { id: string; email: string },
    row: NotificationPreferencesRow | undefined,
  ): NotificationPreferencesView {
    const context = { enabled: this.config.NOTIFICATION_CHANNELS, preferences: row };
    return {
      userId: user.id,
      email: user.email,
      phone: row?.phone ?? null,
      channels: row?.channels ?? null,
      sendsTo: initialChannels(context),
      fallbackOrder: contactOrder(context),
    };
  }
}
