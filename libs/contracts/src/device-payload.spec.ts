import { bleTopic, deviceIdFromTopic, parseDeviceTopic, readingsTopic } from './device-payload';

describe('device topics', () => {
  const id = '7d1f3a52-0c5e-4a8e-9b61-2f4c8d9e0a11';

  it('names the ble topic beside the readings topic', () => {
    expect(bleTopic(id)).toBe(`v1/devices/${id}/ble`);
    expect(parseDeviceTopic(bleTopic(id))).toEqual({ deviceId: id, kind: 'ble' });
    expect(parseDeviceTopic(readingsTopic(id))).toEqual({ deviceId: id, kind: 'readings' });
  });

  it('knows no device in other topics', () => {
    expect(deviceIdFromTopic(`v1/devices/${id}/commands`)).toBeUndefined();
    expect(deviceIdFromTopic(`v1/devices/${id}/ble/extra`)).toBeUndefined();
  });
});
