import { contactOrder, fallbackChannel, initialChannels, type ChannelContext } from './channel-plan';

const ALL = ['socket', 'email', 'sms'] as const;
const PHONE = '+447700900123';

describe("a user's notification channels", () => {
  it('by default reach a user with an email address by email whenever email is enabled, and by SMS once they have a number', () => {
    expect(initialChannels({ enabled: ALL, preferences: undefined })).toEqual(['socket', 'email']);
    expect(initialChannels({ enabled: ['email'], preferences: undefined })).toEqual(['email']);
    expect(initialChannels({ enabled: ['socket'], preferences: undefined })).toEqual(['socket']);
    expect(initialChannels({ enabled: ALL, preferences: { phone: PHONE, channels: null } })).toEqual([
      'socket',
      'email',
      'sms',
    ]);
    // SMS is not enabled: the number alone changes nothing.
    expect(
      initialChannels({ enabled: ['socket', 'email'], preferences: { phone: PHONE, channels: null } }),
    ).toEqual(['socket', 'email']);
  });

  it("follow the user's choice and order, and fall back to the channels they did not choose", () => {
    const smsFirst: ChannelContext = { enabled: ALL, preferences: { phone: PHONE, channels: ['sms'] } };
    expect(initialChannels(smsFirst)).toEqual(['socket', 'sms']);
    expect(contactOrder(smsFirst)).toEqual(['sms', 'email']);
    expect(fallbackChannel(smsFirst, new Set(['socket', 'sms']))).toBe('email');
    expect(fallbackChannel(smsFirst, new Set(['sms', 'email']))).toBeUndefined();

    const both: ChannelContext = { enabled: ALL, preferences: { phone: PHONE, channels: ['sms', 'email'] } };
    expect(initialChannels(both)).toEqual(['socket', 'sms', 'email']);
    expect(fallbackChannel(both, new Set(['sms', 'email']))).toBeUndefined();
  });

  it('never pick a channel the user cannot be reached on or the deployment does not enable', () => {
    // SMS chosen but no number: the first channel that works instead of none.
    const noPhone: ChannelContext = { enabled: ALL, preferences: { phone: null, channels: ['sms'] } };
    expect(initialChannels(noPhone)).toEqual(['socket', 'email']);
    expect(fallbackChannel(noPhone, new Set(['email']))).toBeUndefined();
    // Email chosen in a deployment without email.
    const noEmail: ChannelContext = {
      enabled: ['socket', 'sms'],
      preferences: { phone: PHONE, channels: ['email'] },
    };
    expect(initialChannels(noEmail)).toEqual(['socket', 'sms']);
    expect(contactOrder(noEmail)).toEqual(['sms']);
  });
});
