import type { FactoryProvider } from '@nestjs/common';
import { loadConfig } from '@homeward/config';
import type { Logger } from '@homeward/observability';
import type { NotificationTransport } from '../outbox/notification-transport';
import type { SocketNotificationTransport } from './notification.transports';
import { TRANSPORTS_PROVIDER } from './transports.provider';

const BASE = { DATABASE_URL: 'postgres://localhost/homeward', REDIS_URL: 'redis://localhost:6379' };
const socket = { channel: 'socket', name: 'socket.io' } as SocketNotificationTransport;

function transports(env: Record<string, string>): { names: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  const factory = (TRANSPORTS_PROVIDER as FactoryProvider<NotificationTransport[]>).useFactory;
  const made = factory(loadConfig('worker', { ...BASE, ...env }), logger, socket) as NotificationTransport[];
  return { names: made.map((transport) => `${transport.channel}:${transport.name}`), warnings };
}

describe('the transports a process sends through', () => {
  it('are SMTP and Twilio when configured', () => {
    expect(
      transports({
        NOTIFICATION_CHANNELS: 'socket,email,sms',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        NOTIFY_FROM: 'alerts@example.org',
        TWILIO_ACCOUNT_SID: `AC${'1f'.repeat(16)}`,
        TWILIO_AUTH_TOKEN: 'a-twilio-auth-token',
        TWILIO_FROM: '+15005550006',
      }),
    ).toEqual({ names: ['socket:socket.io', 'email:smtp', 'sms:twilio'], warnings: [] });
  });

  it('only log in development without providers, and say so for each channel in use', () => {
    expect(transports({ NOTIFICATION_CHANNELS: 'socket,email' })).toEqual({
      names: ['socket:socket.io', 'email:logging', 'sms:logging'],
      warnings: ['email notifications are only logged: SMTP_URL is not set'],
    });
    expect(transports({}).warnings).toEqual([]);
  });
});
