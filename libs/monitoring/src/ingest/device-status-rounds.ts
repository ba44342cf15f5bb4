import type { NewDeviceStatusRow } from '../monitoring.rows';

/**
 * A batch's statuses as successive upserts, each touching a device once (an upsert may change a
 * row only once): a device's statuses go out in order of `reportedAt`, the k-th in round k.
 * Applied in order, each is merged into the stored record as if it had come alone, so a later
 * status leaving out a field keeps what an earlier one of the same batch reported, and an
 * earlier status older than the stored record still changes nothing. Usually one round.
 */
export function statusRounds(statuses: readonly NewDeviceStatusRow[]): NewDeviceStatusRow[][] {
  const byDevice = new Map<string, NewDeviceStatusRow[]>();
  for (const status of statuses) {
    const own = byDevice.get(status.deviceId);
    if (own) own.push(status);
    else byDevice.set(status.deviceId, [status]);
  }
  const rounds: NewDeviceStatusRow[][] = [];
  for (const own of byDevice.values()) {
    // Stable: statuses reported at the same time keep their arrival order.
    own.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
    own.forEach((status, round) => (rounds[round] ??= []).push(status));
  }
  return rounds;
}
