/** What a device list shows for a device: deactivated, or active and heard from lately, or not. */
export type DeviceStatus = 'active' | 'offline' | 'deactivated';

export const DEVICE_STATUSES: readonly DeviceStatus[] = ['active', 'offline', 'deactivated'];

/**
 * A device's status at `now`: `deactivated` once deactivated; otherwise `offline` when it has
 * been silent (no stored message, no status) for `offlineAfterMs`, counted from its
 * registration if it was never heard from. The device repository's list filter says the same in SQL.
 */
export function deviceStatus(
  device: { revokedAt: Date | null; lastSeenAt: Date | null; createdAt: Date },
  now: Date,
  offlineAfterMs: number,
): DeviceStatus {
  if (device.revokedAt) return 'deactivated';
  const heardFrom = device.lastSeenAt ?? device.createdAt;
  return heardFrom.getTime() < now.getTime() - offlineAfterMs ? 'offline' : 'active';
}
