import { statusTopic } from '@homeward/contracts';
import { isStatusTopic, parseDeviceStatus } from './device-status.parser';

const DEVICE = '6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const NOW = new Date('2026-11-26T09:00:00Z');

function parse(body: unknown, topic = statusTopic(DEVICE)) {
  const payload = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return parseDeviceStatus(topic, payload, NOW);
}

describe('device status messages', () => {
  it('accepts a full status and rounds the numbers to whole units', () => {
    expect(
      parse({
        messageId: 's-1',
        reportedAt: '2026-11-26T08:59:00+01:00',
        firmwareVersion: '2.4.1',
        batteryLevel: 87.6,
        signalStrength: -67.2,
      }),
    ).toEqual({
      ok: true,
      deviceId: DEVICE,
      messageId: 's-1',
      reportedAt: new Date('2026-11-26T07:59:00Z'),
      firmwareVersion: '2.4.1',
      batteryLevel: 88,
      signalStrength: -67,
    });
  });

  it('accepts a status with only its id and time: what it leaves out is null', () => {
    expect(parse({ messageId: 's-2', reportedAt: '2026-11-26T08:00:00Z' })).toMatchObject({
      ok: true,
      firmwareVersion: null,
      batteryLevel: null,
      signalStrength: null,
    });
  });

  it('recognises status topics only', () => {
    expect(isStatusTopic(statusTopic(DEVICE))).toBe(true);
    expect(isStatusTopic(`v1/devices/${DEVICE}/readings`)).toBe(false);
    expect(isStatusTopic(`v1/devices/${DEVICE}/status/extra`)).toBe(false);
  });

  it.each([
    ['a battery level over 100 %', { batteryLevel: 101 }, 'schema_violation', '/batteryLevel'],
    ['a negative battery level', { batteryLevel: -1 }, 'schema_violation', '/batteryLevel'],
    ['a positive signal strength', { signalStrength: 3 }, 'schema_violation', '/signalStrength'],
    ['a signal strength below -150 dBm', { signalStrength: -151 }, 'schema_violation', '/signalStrength'],
    ['a number as firmware version', { firmwareVersion: 2 }, 'schema_violation', '/firmwareVersion'],
    ['an unknown field', { temperature: 20 }, 'schema_violation', 'temperature'],
    ['a time without a zone', { reportedAt: '2026-11-26T08:00:00' }, 'invalid_timestamp', 'reportedAt'],
    [
      'a time an hour ahead',
      { reportedAt: '2026-11-26T10:00:00Z' },
      'reported_at_in_future',
      'ahead of the server clock',
    ],
  ])('rejects %s', (_, change, reason, detail) => {
    const result = parse({ messageId: 's-3', reportedAt: '2026-11-26T08:00:00Z', ...change });
    expect(result).toMatchObject({ ok: false, reason, deviceRef: DEVICE, messageId: 's-3' });
    expect(!result.ok && result.detail).toContain(detail);
  });

  it('rejects a missing messageId or reportedAt', () => {
    expect(parse({ reportedAt: '2026-11-26T08:00:00Z' })).toMatchObject({
      ok: false,
      reason: 'schema_violation',
    });
    expect(parse({ messageId: 's-4' })).toMatchObject({
      ok: false,
      reason: 'schema_violation',
      messageId: 's-4',
    });
  });

  it('rejects what is not JSON, not UTF-8, too large or holds NUL', () => {
    expect(parse('{')).toMatchObject({ ok: false, reason: 'invalid_json' });
    expect(parse(Buffer.from([0xff, 0xfe]))).toMatchObject({ ok: false, reason: 'invalid_encoding' });
    expect(parse('x'.repeat(17 * 1024))).toMatchObject({ ok: false, reason: 'payload_too_large' });
    expect(
      parse('{"messageId":"s-5","reportedAt":"2026-11-26T08:00:00Z","firmwareVersion":"1\\u0000"}'),
    ).toMatchObject({ ok: false, reason: 'invalid_characters', messageId: 's-5' });
  });

  it('rejects a topic that names no device id', () => {
    expect(
      parse({ messageId: 's-6', reportedAt: '2026-11-26T08:00:00Z' }, 'v1/devices/abc/status'),
    ).toMatchObject({
      ok: false,
      reason: 'invalid_device_id',
      deviceRef: 'abc',
    });
  });
});
