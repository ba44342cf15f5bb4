import {
  CONTACT_CHANNELS,
  type ContactChannel,
  type NotificationChannel,
  type NotificationPreferencesRow,
} from './notification.rows';

/** What decides a user's channels: the deployment's NOTIFICATION_CHANNELS and the user's preferences. */
export interface ChannelContext {
  enabled: readonly NotificationChannel[];
  preferences: Pick<NotificationPreferencesRow, 'phone' | 'channels'> | undefined;
}

/** Every user has an email address (their sign-in); SMS needs a phone number. */
function reachable(channel: ContactChannel, context: ChannelContext): boolean {
  return context.enabled.includes(channel) && (channel !== 'sms' || Boolean(context.preferences?.phone));
}

/**
 * The user's contact channels in fallback order: those they chose, in their order, then the
 * other channels the deployment enables and the user can be reached on, in NOTIFICATION_CHANNELS
 * order. Channels that are not enabled or lack an address are left out.
 */
export function contactOrder(context: ChannelContext): ContactChannel[] {
  const chosen = (context.preferences?.channels ?? []).filter((channel) => reachable(channel, context));
  const rest = context.enabled.filter(
    (channel): channel is ContactChannel =>
      (CONTACT_CHANNELS as readonly string[]).includes(channel) &&
      !chosen.includes(channel as ContactChannel) &&
      reachable(channel as ContactChannel, context),
  );
  return [...chosen, ...rest];
}

/**
 * Where a notification goes first: the socket when enabled (an open console), and the contact
 * channels the user chose, or by default every one they can be reached on. A user whose chosen
 * channels all lack an address gets the first one that works.
 */
export function initialChannels(context: ChannelContext): NotificationChannel[] {
  const order = contactOrder(context);
  const chosen = context.preferences?.channels;
  const first = chosen ? order.filter((channel) => chosen.includes(channel)) : order;
  return [
    ...(context.enabled.includes('socket') ? ['socket' as const] : []),
    ...(first.length > 0 ? first : order.slice(0, 1)),
  ];
}

/** The channel that takes over when one fails for good: the next in order the group has not tried. */
export function fallbackChannel(
  context: ChannelContext,
  tried: ReadonlySet<NotificationChannel>,
): ContactChannel | undefined {
  return contactOrder(context).find((channel) => !tried.has(channel));
}
