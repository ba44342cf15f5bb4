import { deviceStatus } from './device-status';

const NOW = new Date('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR);

describe('device status', () => {
  it('is deactivated once deactivated, however recently the device was heard from', () => {
    expect(deviceStatus({ revokedAt: at(1), lastSeenAt: at(0), createdAt: at(100) }, NOW, 24 * HOUR)).toBe(
      'deactivated',
    );
  });

  it('is active while the device was heard from within the silence allowed', () => {
    expect(deviceStatus({ revokedAt: null, lastSeenAt: at(23), createdAt: at(100) }, NOW, 24 * HOUR)).toBe(
      'active',
    );
  });

  it('is offline once the device has been silent longer than allowed', () => {
    expect(deviceStatus({ revokedAt: null, lastSeenAt: at(25), createdAt: at(100) }, NOW, 24 * HOUR)).toBe(
      'offline',
    );
  });

  it('counts the silence of a device never heard from from its registration', () => {
    expect(deviceStatus({ revokedAt: null, lastSeenAt: null, createdAt: at(2) }, NOW, 24 * HOUR)).toBe(
      'active',
    );
    expect(deviceStatus({ revokedAt: null, lastSeenAt: null, createdAt: at(30) }, NOW, 24 * HOUR)).toBe(
      'offline',
    );
  });
});
