import { DevicesFileError, parseDevicesFile, resolveBrokerUrls } from './devices-file';

const VALID = {
  mqttUrl: 'mqtt://127.0.0.1:1883',
  devices: [
    { id: 'bp-1', secret: 's1', kind: 'bp_cuff', patientId: 'p1', label: 'Ada BP' },
    { id: 'sc-1', secret: 's2', kind: 'scale', patientId: 'p1', mqttUrl: 'mqtts://broker.example:8883' },
  ],
};

const device = VALID.devices[0];

describe('parseDevicesFile', () => {
  it('reads a valid file', () => {
    const file = parseDevicesFile(VALID);
    expect(file.mqttUrl).toBe('mqtt://127.0.0.1:1883');
    expect(file.devices).toEqual([
      { id: 'bp-1', secret: 's1', kind: 'bp_cuff', patientId: 'p1', label: 'Ada BP', mqttUrl: undefined },
      {
        id: 'sc-1',
        secret: 's2',
        kind: 'scale',
        patientId: 'p1',
        label: undefined,
        mqttUrl: 'mqtts://broker.example:8883',
      },
    ]);
  });

  it("reads a patient's baseline", () => {
    const file = parseDevicesFile({ devices: [{ ...device, baseline: { systolic: 150, weightKg: 72.4 } }] });
    expect(file.devices[0]?.baseline).toEqual({ systolic: 150, weightKg: 72.4 });
  });

  it.each([
    ['not an object', [], /JSON object/],
    ['no devices', { devices: [] }, /non-empty array/],
    ['an unknown kind', { devices: [{ ...device, kind: 'toaster' }] }, /kind must be one of/],
    ['a missing patient', { devices: [{ ...device, patientId: '' }] }, /patientId/],
    ['a missing secret', { devices: [{ ...device, secret: undefined }] }, /secret/],
    ['a topic wildcard in the id', { devices: [{ ...device, id: 'a/b' }] }, /must not contain/],
    ['a duplicate id', { devices: [device, device] }, /duplicate device id bp-1/],
    ['a non-MQTT broker URL', { mqttUrl: 'http://x', devices: [device] }, /mqttUrl/],
    [
      'an unknown baseline',
      { devices: [{ ...device, baseline: { mood: 3 } }] },
      /baseline.mood is not one of/,
    ],
    [
      'a baseline that is not a number',
      { devices: [{ ...device, baseline: { weightKg: '70' } }] },
      /positive number/,
    ],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseDevicesFile(json)).toThrow(DevicesFileError);
    expect(() => parseDevicesFile(json)).toThrow(message);
  });
});

describe('resolveBrokerUrls', () => {
  it('prefers --mqtt-url, then the device URL, then the file URL', () => {
    const file = parseDevicesFile(VALID);
    expect(resolveBrokerUrls(file).map((d) => d.mqttUrl)).toEqual([
      'mqtt://127.0.0.1:1883',
      'mqtts://broker.example:8883',
    ]);
    expect(resolveBrokerUrls(file, 'mqtt://other:1884').map((d) => d.mqttUrl)).toEqual([
      'mqtt://other:1884',
      'mqtt://other:1884',
    ]);
  });

  it('fails when a device has no broker at all', () => {
    const file = parseDevicesFile({ devices: [device] });
    expect(() => resolveBrokerUrls(file)).toThrow(/--mqtt-url/);
  });
});
