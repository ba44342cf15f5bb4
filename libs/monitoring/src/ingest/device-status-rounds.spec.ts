import type { NewDeviceStatusRow } from '../monitoring.rows';
import { statusRounds } from './device-status-rounds';

const DEVICE = '2f0c5d55-4b1a-4c77-9b0e-0c4a3f6f5b11';
const OTHER = '7a1e8c0d-93f2-4f0e-8d2b-5b6c1d2e3f40';

function status(
  deviceId: string,
  messageId: string,
  reportedAt: string,
  fields: Partial<NewDeviceStatusRow> = {},
) {
  return {
    deviceId,
    messageId,
    reportedAt: new Date(reportedAt),
    firmwareVersion: null,
    batteryLevel: null,
    signalStrength: null,
    ...fields,
  };
}

describe('statusRounds: two partial statuses of one device in one batch', () => {
  it('keeps both, in the order they were reported: the firmware of the first survives a battery-only second', () => {
    const firmware = status(DEVICE, 's-1', '2026-01-01T10:00:00Z', { firmwareVersion: '3.0.1' });
    const battery = status(DEVICE, 's-2', '2026-01-01T10:05:00Z', { batteryLevel: 70 });
    expect(statusRounds([firmware, battery])).toEqual([[firmware], [battery]]);
    // Arrival order does not matter: the device's clock does.
    expect(statusRounds([battery, firmware])).toEqual([[firmware], [battery]]);
  });

  it('touches each device once per round, so one upsert per round stays valid', () => {
    const a1 = status(DEVICE, 'a-1', '2026-01-01T10:00:00Z');
    const a2 = status(DEVICE, 'a-2', '2026-01-01T11:00:00Z');
    const b1 = status(OTHER, 'b-1', '2026-01-01T10:30:00Z');
    expect(statusRounds([a2, b1, a1])).toEqual([[a1, b1], [a2]]);
    expect(statusRounds([])).toEqual([]);
  });
});
