import { SFLOAT_SPECIAL, bleHex, dateTime, sfloat, u16, u8 } from '@homeward/testing';
import {
  DEVICE_CONTRACT,
  REJECTION_REASONS,
  VITALS,
  bleTopic,
  isStorableText,
  readingsTopic,
  type RejectionReason,
} from '@homeward/contracts';
import {
  parseDeviceMessage,
  estimateDeviceMessages,
  parseDevicePayload,
  payloadExcerpt,
  settleDeviceTime,
  type AcceptedMessage,
  type ParsedMessage,
  type RejectedMessage,
} from './device-message.parser';
import { BLE_DECODE_FAILURES } from './ble';

const DEVICE_ID = '3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f';
const TOPIC = readingsTopic(DEVICE_ID);
const NOW = new Date('2026-11-25T08:00:00Z');
const MEASURED_AT = '2026-11-25T07:02:11Z';
const MINUTE = 60 * 1000;

interface ReadingInput {
  type: string;
  value: unknown;
  unit: string;
}

function bp(systolic: number, diastolic: number, unit = 'mm[Hg]'): ReadingInput[] {
  return [
    { type: 'blood_pressure_systolic', value: systolic, unit },
    { type: 'blood_pressure_diastolic', value: diastolic, unit },
  ];
}

function message(readings: ReadingInput[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageId: 'msg-1', measuredAt: MEASURED_AT, readings, ...overrides };
}

function parse(body: unknown, options: { topic?: string; now?: Date } = {}): ParsedMessage {
  const payload = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return parseDeviceMessage(options.topic ?? TOPIC, payload, options.now ?? NOW);
}

function accepted(result: ParsedMessage): AcceptedMessage {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.reason}: ${result.detail}`);
  return result;
}

function rejected(result: ParsedMessage): RejectedMessage {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

function reasonFor(body: unknown, options: { topic?: string; now?: Date } = {}): RejectionReason {
  return rejected(parse(body, options)).reason;
}

function singleValue(reading: ReadingInput): number {
  const result = accepted(parse(message([reading])));
  expect(result.readings).toHaveLength(1);
  return result.readings[0].value;
}

describe('parseDeviceMessage', () => {
  describe('a valid blood pressure message', () => {
    it('is accepted with LOINC-coded readings in catalogue units', () => {
      const result = accepted(
        parse(message([...bp(152, 96), { type: 'heart_rate', value: 71, unit: '/min' }])),
      );

      expect(result).toEqual({
        ok: true,
        deviceId: DEVICE_ID,
        messageId: 'msg-1',
        measuredAt: new Date(MEASURED_AT),
        flags: [],
        readings: [
          {
            type: 'blood_pressure_systolic',
            loinc: '8480-6',
            value: 152,
            unit: 'mm[Hg]',
            sourceValue: 152,
            sourceUnit: 'mm[Hg]',
          },
          {
            type: 'blood_pressure_diastolic',
            loinc: '8462-4',
            value: 96,
            unit: 'mm[Hg]',
            sourceValue: 96,
            sourceUnit: 'mm[Hg]',
          },
          {
            type: 'heart_rate',
            loinc: '8867-4',
            value: 71,
            unit: '/min',
            sourceValue: 71,
            sourceUnit: '/min',
          },
        ],
      });
      for (const reading of result.readings) expect(reading.loinc).toBe(VITALS[reading.type].loinc);
    });

    it('stores the device id in lower case when the topic uses upper case', () => {
      const result = accepted(parse(message(bp(130, 85)), { topic: readingsTopic(DEVICE_ID.toUpperCase()) }));
      expect(result.deviceId).toBe(DEVICE_ID);
    });

    it('reads a measurement time with a UTC offset as the same instant', () => {
      const result = accepted(parse(message(bp(130, 85), { measuredAt: '2026-11-25T08:02:11+01:00' })));
      expect(result.measuredAt.toISOString()).toBe('2026-11-25T07:02:11.000Z');
    });

    it('accepts a payload of exactly the size limit', () => {
      const json = JSON.stringify(message(bp(130, 85)));
      const padded = json + ' '.repeat(DEVICE_CONTRACT.maxPayloadBytes - Buffer.byteLength(json));
      expect(Buffer.byteLength(padded)).toBe(DEVICE_CONTRACT.maxPayloadBytes);
      expect(parse(padded).ok).toBe(true);
    });
  });

  describe('unit conversion', () => {
    it('converts pounds to kilograms, keeping two decimals', () => {
      const result = accepted(parse(message([{ type: 'body_weight', value: 154.3, unit: '[lb_av]' }])));
      expect(result.readings[0]).toMatchObject({
        value: 69.99,
        unit: 'kg',
        sourceValue: 154.3,
        sourceUnit: '[lb_av]',
      });
    });

    it('converts grams to kilograms', () => {
      expect(singleValue({ type: 'body_weight', value: 72450, unit: 'g' })).toBe(72.45);
    });

    it('converts mmol/L glucose to whole mg/dL', () => {
      const result = accepted(parse(message([{ type: 'blood_glucose', value: 7.2, unit: 'mmol/L' }])));
      // 7.2 × 18.016 = 129.7152
      expect(result.readings[0]).toMatchObject({
        value: 130,
        unit: 'mg/dL',
        loinc: '41653-7',
        sourceValue: 7.2,
      });
    });

    it('converts Fahrenheit to Celsius with one decimal', () => {
      expect(singleValue({ type: 'body_temperature', value: 98.6, unit: '[degF]' })).toBe(37);
      // (101.3 − 32) × 5 / 9 = 38.5
      const result = accepted(parse(message([{ type: 'body_temperature', value: 101.3, unit: '[degF]' }])));
      expect(result.readings[0]).toMatchObject({ value: 38.5, unit: 'Cel', sourceUnit: '[degF]' });
    });

    it('converts kPa blood pressure to whole mm[Hg]', () => {
      const result = accepted(parse(message(bp(20, 12, 'kPa'))));
      // 20 kPa = 150.01 mm[Hg], 12 kPa = 90.007 mm[Hg]
      expect(result.readings.map((r) => [r.value, r.unit, r.sourceValue, r.sourceUnit])).toEqual([
        [150, 'mm[Hg]', 20, 'kPa'],
        [90, 'mm[Hg]', 12, 'kPa'],
      ]);
    });

    it('accepts the alternative heart-rate unit unchanged', () => {
      const result = accepted(parse(message([{ type: 'heart_rate', value: 64, unit: '{beats}/min' }])));
      expect(result.readings[0]).toMatchObject({ value: 64, unit: '/min', sourceUnit: '{beats}/min' });
    });
  });

  describe('rejections', () => {
    it('rejects a payload over the size limit', () => {
      const result = rejected(parse(Buffer.alloc(DEVICE_CONTRACT.maxPayloadBytes + 1, 0x20)));
      expect(result.reason).toBe('payload_too_large');
      expect(result.detail).toContain(String(DEVICE_CONTRACT.maxPayloadBytes));
      expect(result.deviceRef).toBe(DEVICE_ID);
    });

    it('rejects a payload that is not valid UTF-8', () => {
      const json = Buffer.from(JSON.stringify(message(bp(130, 85))));
      const corrupt = Buffer.concat([json.subarray(0, 5), Buffer.from([0xc3, 0x28]), json.subarray(5)]);
      expect(reasonFor(corrupt)).toBe('invalid_encoding');
    });

    it('rejects a payload that is not JSON, without a message id', () => {
      const result = rejected(parse('{"messageId":"msg-1",'));
      expect(result.reason).toBe('invalid_json');
      expect(result.messageId).toBeNull();
    });

    describe('schema violations', () => {
      it('rejects a message without measuredAt and names the missing field', () => {
        const result = rejected(parse({ messageId: 'msg-1', readings: bp(130, 85) }));
        expect(result).toMatchObject({ reason: 'schema_violation', messageId: 'msg-1' });
        expect(result.detail).toContain('measuredAt');
      });

      it('rejects a reading value sent as a string', () => {
        const result = rejected(parse(message([{ type: 'heart_rate', value: '71', unit: '/min' }])));
        expect(result.reason).toBe('schema_violation');
        expect(result.detail).toContain('/readings/0/value');
      });

      it('rejects an extra property and names it', () => {
        const result = rejected(parse(message(bp(130, 85), { battery: 80 })));
        expect(result.reason).toBe('schema_violation');
        expect(result.detail).toContain('battery');
      });

      it('rejects an extra property on a reading', () => {
        const result = rejected(
          parse(message([{ type: 'heart_rate', value: 71, unit: '/min', quality: 'good' } as ReadingInput])),
        );
        expect(result.reason).toBe('schema_violation');
        expect(result.detail).toContain('quality');
      });

      it('rejects a message without readings', () => {
        expect(reasonFor(message([]))).toBe('schema_violation');
      });

      it('rejects more than 32 readings, while 32 pass the count limit', () => {
        const reading = { type: 'heart_rate', value: 71, unit: '/min' };
        const tooMany = Array.from({ length: DEVICE_CONTRACT.maxReadingsPerMessage + 1 }, () => reading);
        const result = rejected(parse(message(tooMany)));
        expect(result.reason).toBe('schema_violation');
        expect(result.detail).toContain('/readings');

        // 32 readings pass the schema; as copies of one type they then fail as duplicates.
        const atLimit = tooMany.slice(0, DEVICE_CONTRACT.maxReadingsPerMessage);
        expect(reasonFor(message(atLimit))).toBe('duplicate_type');
      });

      it.each(['msg 1', 'msg/1', 'msg#1', 'mésage', ''])('rejects the message id %j', (messageId) => {
        expect(reasonFor(message(bp(130, 85), { messageId }))).toBe('schema_violation');
      });

      it('rejects a message id longer than 128 characters, reporting its first 128', () => {
        const longId = 'a'.repeat(DEVICE_CONTRACT.maxMessageIdLength + 1);
        const result = rejected(parse(message(bp(130, 85), { messageId: longId })));
        expect(result.reason).toBe('schema_violation');
        expect(result.messageId).toBe('a'.repeat(DEVICE_CONTRACT.maxMessageIdLength));
      });

      it('accepts every character the contract allows in a message id', () => {
        expect(accepted(parse(message(bp(130, 85), { messageId: 'Hub_7:2026-11-25.0001' }))).messageId).toBe(
          'Hub_7:2026-11-25.0001',
        );
      });

      it('rejects a JSON array body', () => {
        expect(reasonFor([message(bp(130, 85))])).toBe('schema_violation');
      });
    });

    it.each([
      ['an id that is not a UUID', 'v1/devices/cuff-1/readings', 'cuff-1'],
      ['a topic that is not a readings topic', `v1/devices/${DEVICE_ID}/status`, null],
      ['an extra topic level', `v1/devices/${DEVICE_ID}/x/readings`, null],
    ])('rejects %s as invalid_device_id', (_label, topic, deviceRef) => {
      const result = rejected(parse(message(bp(130, 85)), { topic }));
      expect(result.reason).toBe('invalid_device_id');
      expect(result.deviceRef).toBe(deviceRef);
    });

    it('rejects an unknown reading type and quotes it', () => {
      const result = rejected(parse(message([{ type: 'respiratory_rate', value: 16, unit: '/min' }])));
      expect(result).toMatchObject({ reason: 'unknown_type', messageId: 'msg-1' });
      expect(result.detail).toContain('"respiratory_rate"');
    });

    it.each([
      ['body weight in mm[Hg]', { type: 'body_weight', value: 80, unit: 'mm[Hg]' }],
      ['body weight in lbs (not UCUM)', { type: 'body_weight', value: 180, unit: 'lbs' }],
      ['temperature in Fahrenheit spelled F', { type: 'body_temperature', value: 98.6, unit: 'F' }],
      ['oxygen saturation as a fraction', { type: 'oxygen_saturation', value: 0.97, unit: '1' }],
    ])('rejects %s as unsupported_unit', (_label, reading) => {
      const result = rejected(parse(message([reading])));
      expect(result).toMatchObject({ reason: 'unsupported_unit', messageId: 'msg-1' });
      expect(result.detail).toContain(JSON.stringify(reading.unit));
    });

    it.each(['1e400', '-1e400'])('rejects the overflowing value %s as non_finite_value', (literal) => {
      const payload = `{"messageId":"msg-1","measuredAt":"${MEASURED_AT}","readings":[{"type":"heart_rate","value":${literal},"unit":"/min"}]}`;
      const result = rejected(parse(payload));
      expect(result).toMatchObject({ reason: 'non_finite_value', messageId: 'msg-1' });
      expect(result.detail).toContain('/readings/0/value');
    });

    it.each([
      ['a heart rate of 500 /min', { type: 'heart_rate', value: 500, unit: '/min' }],
      ['an oxygen saturation of 101 %', { type: 'oxygen_saturation', value: 101, unit: '%' }],
      ['a negative body weight', { type: 'body_weight', value: -70, unit: 'kg' }],
      ['2000 lb, over 500 kg once converted', { type: 'body_weight', value: 2000, unit: '[lb_av]' }],
      ['a temperature of 212 [degF]', { type: 'body_temperature', value: 212, unit: '[degF]' }],
    ])('rejects %s as implausible_value', (_label, reading) => {
      expect(rejected(parse(message([reading])))).toMatchObject({
        reason: 'implausible_value',
        messageId: 'msg-1',
      });
    });

    it('accepts values on the edges of the plausible range', () => {
      const { min, max } = VITALS.oxygen_saturation.plausible;
      expect(singleValue({ type: 'oxygen_saturation', value: min, unit: '%' })).toBe(min);
      expect(singleValue({ type: 'oxygen_saturation', value: max, unit: '%' })).toBe(max);
    });

    it.each([
      ['a word', 'yesterday'],
      ['a date without a time zone', '2026-11-25T07:02:11'],
      ['a date without a time', '2026-11-25'],
      ['a day that does not exist', '2026-02-30T07:02:11Z'],
      ['a Unix timestamp string', '1795590131'],
      ['a leap second the server clock cannot represent', '2026-12-31T23:59:60Z'],
      ['an offset of hours only', '2026-11-25T07:02:11+01'],
    ])('rejects %s as invalid_timestamp', (_label, measuredAt) => {
      const result = rejected(parse(message(bp(130, 85), { measuredAt })));
      expect(result).toMatchObject({ reason: 'invalid_timestamp', messageId: 'msg-1' });
    });

    it('rejects a measurement stamped more than 5 minutes ahead of the server clock', () => {
      const ahead = new Date(NOW.getTime() + 5 * MINUTE + 1000).toISOString();
      const result = rejected(parse(message(bp(130, 85), { measuredAt: ahead })));
      expect(result).toMatchObject({ reason: 'measured_at_in_future', messageId: 'msg-1' });
    });

    it('tolerates device clocks running up to 5 minutes fast', () => {
      for (const skew of [4 * MINUTE, 5 * MINUTE]) {
        const ahead = new Date(NOW.getTime() + skew);
        expect(accepted(parse(message(bp(130, 85), { measuredAt: ahead.toISOString() }))).measuredAt).toEqual(
          ahead,
        );
      }
    });

    // NOW is 2026-11-25T08:00:00Z: retention keeps ten years, and a reading is kept 30 days at least.
    it('rejects a measurement that the 10-year retention would drop within 30 days, and accepts the first one it keeps longer', () => {
      const oldest = '2016-12-25T08:00:00.000Z';
      const tooOld = rejected(parse(message(bp(130, 85), { measuredAt: '2016-12-25T07:59:59.999Z' })));
      expect(tooOld).toMatchObject({ reason: 'measured_at_too_old', messageId: 'msg-1' });
      expect(tooOld.detail).toContain(oldest);
      expect(accepted(parse(message(bp(130, 85), { measuredAt: oldest }))).measuredAt).toEqual(
        new Date(oldest),
      );
    });

    it('rejects a backlog reading from 2012, which the retention policy would delete', () => {
      const result = rejected(parse(message(bp(130, 85), { measuredAt: '2012-06-01T09:00:00Z' })));
      expect(result).toMatchObject({ reason: 'measured_at_too_old', messageId: 'msg-1' });
    });

    it('moves the oldest accepted time with the clock', () => {
      const measuredAt = '2017-01-10T00:00:00Z';
      expect(parse(message(bp(130, 85), { measuredAt })).ok).toBe(true);
      const later = new Date('2027-01-01T00:00:00Z');
      expect(rejected(parse(message(bp(130, 85), { measuredAt }), { now: later }))).toMatchObject({
        reason: 'measured_at_too_old',
      });
    });

    it('rejects a message with the same reading type twice', () => {
      const result = rejected(
        parse(message([...bp(130, 85), { type: 'blood_pressure_systolic', value: 131, unit: 'mm[Hg]' }])),
      );
      expect(result).toMatchObject({ reason: 'duplicate_type', messageId: 'msg-1' });
      expect(result.detail).toContain('blood_pressure_systolic');
    });

    it.each([
      ['equal to', 90, 90, 'mm[Hg]'],
      ['below', 80, 95, 'mm[Hg]'],
      ['equal, once converted from kPa, to', 12, 12.0001, 'kPa'],
    ])('rejects a systolic value %s the diastolic one', (_label, systolic, diastolic, unit) => {
      expect(rejected(parse(message(bp(systolic, diastolic, unit))))).toMatchObject({
        reason: 'systolic_not_above_diastolic',
        messageId: 'msg-1',
      });
    });

    it('accepts a systolic reading without a diastolic one', () => {
      expect(parse(message([{ type: 'blood_pressure_systolic', value: 128, unit: 'mm[Hg]' }])).ok).toBe(true);
    });

    it('reports no message id when the message id is not a string', () => {
      const result = rejected(parse(message(bp(130, 85), { messageId: 42 })));
      expect(result).toMatchObject({ reason: 'schema_violation', messageId: null });
    });

    it('carries the device reference from the topic on every rejection', () => {
      const result = rejected(parse(message(bp(80, 95))));
      expect(result.deviceRef).toBe(DEVICE_ID);
    });
  });
});

describe('text PostgreSQL cannot store', () => {
  const poisoned: Array<[string, string]> = [
    ['a NUL in messageId', '{"messageId":"m\\u0000x","measuredAt":"2026-11-25T07:02:11Z","readings":[]}'],
    [
      'a NUL in the name of an extra field',
      '{"messageId":"m1","measuredAt":"2026-11-25T07:02:11Z","readings":[{"type":"body_weight","value":80,"unit":"kg"}],"x\\u0000":1}',
    ],
    [
      'a lone high surrogate in a reading type',
      '{"messageId":"m1","measuredAt":"2026-11-25T07:02:11Z","readings":[{"type":"\\ud800","value":80,"unit":"kg"}]}',
    ],
    [
      'a lone low surrogate in messageId',
      '{"messageId":"\\udc00","measuredAt":"2026-11-25T07:02:11Z","readings":[]}',
    ],
  ];

  it.each(poisoned)('rejects %s as invalid_characters, naming where it is', (_name, payload) => {
    const result = rejected(parse(payload));
    expect(result.reason).toBe('invalid_characters');
    expect(result.detail).toMatch(/^\/.* contains NUL or an invalid code point/);
    // What is kept for the rejection row is itself storable.
    expect(isStorableText(`${result.detail}${result.messageId ?? ''}`)).toBe(true);
  });

  it('keeps the poisoned messageId readable, with the NUL escaped', () => {
    const result = rejected(
      parse('{"messageId":"m\\u0000x","measuredAt":"2026-11-25T07:02:11Z","readings":[]}'),
    );
    expect(result.messageId).toBe('m\\u0000x');
  });

  it('accepts a message whose \\u escapes are storable', () => {
    const payload = JSON.stringify(message(bp(120, 80), { messageId: 'cafe' })).replace(
      '"cafe"',
      '"caf\\u0065"',
    );
    expect(accepted(parse(payload)).messageId).toBe('cafe');
  });
});

describe('payloadExcerpt', () => {
  it('keeps a short payload as it is', () => {
    expect(payloadExcerpt(Buffer.from('{"messageId":"msg-1"}'))).toBe('{"messageId":"msg-1"}');
  });

  it('caps a long payload at 4096 characters by default', () => {
    expect(payloadExcerpt(Buffer.alloc(20_000, 'a'))).toBe('a'.repeat(4096));
  });

  it('caps at the requested number of characters, counting multi-byte characters once', () => {
    expect(payloadExcerpt(Buffer.from('ééééé'), 3)).toBe('ééé');
  });

  it('writes NUL characters, which PostgreSQL text cannot store, as visible escapes', () => {
    const excerpt = payloadExcerpt(Buffer.from('{"a":"x\u0000y"}\u0000'));
    expect(excerpt).not.toContain('\u0000');
    expect(excerpt).toBe('{"a":"x\\u0000y"}\\u0000');
  });

  it('escapes a surrogate pair cut in half by the cap', () => {
    const excerpt = payloadExcerpt(Buffer.from('ab😀'), 3);
    expect(excerpt).toBe('ab\\ud83d');
  });

  it('still produces text from bytes that are not UTF-8', () => {
    expect(payloadExcerpt(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))).toBe('{\uFFFD(}');
  });
});

describe('parseDeviceMessage on the ble topic', () => {
  const BLE_TOPIC = bleTopic(DEVICE_ID);
  const RECEIVED_AT = '2026-11-25T07:30:00Z';
  // Blood Pressure Measurement, mmHg: flags time stamp + pulse + status; status bit 2 irregular pulse.
  const bpWithStatus = (systolic: number, diastolic: number, stamp = dateTime(2026, 11, 25, 7, 20, 5)) =>
    bleHex(
      u8(0x02 | 0x04 | 0x10),
      sfloat(systolic),
      sfloat(diastolic),
      sfloat(93),
      stamp,
      sfloat(72),
      u16(0x0004),
    );

  function ble(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      messageId: 'ble-1',
      characteristic: '2A35',
      value: bpWithStatus(128, 84),
      receivedAt: RECEIVED_AT,
      ...overrides,
    };
  }
  const parseBle = (body: unknown, now = NOW) => parse(body, { topic: BLE_TOPIC, now });

  it('accepts a blood-pressure measurement with its readings, its own time stamp and its status flags', () => {
    const result = accepted(parseBle(ble()));
    expect(result).toMatchObject({
      deviceId: DEVICE_ID,
      messageId: 'ble-1',
      measuredAt: new Date('2026-11-25T07:20:05Z'),
      flags: ['irregular_pulse'],
    });
    expect(result.readings.map((r) => [r.type, r.value])).toEqual([
      ['blood_pressure_systolic', 128],
      ['blood_pressure_diastolic', 84],
      ['heart_rate', 72],
    ]);
  });

  it('takes receivedAt as measuredAt when the measurement carries no time stamp, and accepts lower-case ids', () => {
    const value = bleHex(u8(0x00), sfloat(121), sfloat(79), sfloat(93));
    const result = accepted(parseBle(ble({ characteristic: '2a35', value })));
    expect(result.measuredAt).toEqual(new Date(RECEIVED_AT));
    expect(result.flags).toEqual([]);
    expect(accepted(parseBle(ble({ characteristic: '2A35', value }))).readings).toHaveLength(2);
    // Mixed case names the weight scale: the same bytes read as a weight.
    expect(accepted(parseBle(ble({ characteristic: '2a9D', value }))).readings[0].type).toBe('body_weight');
  });

  it('rejects what the decoder cannot read with the decoder reason', () => {
    expect(rejected(parseBle(ble({ value: 'abc' }))).reason).toBe('invalid_hex');
    expect(rejected(parseBle(ble({ value: 'zz' }))).reason).toBe('invalid_hex');
    const tooLong = '00'.repeat(DEVICE_CONTRACT.maxBleValueBytes + 1);
    expect(rejected(parseBle(ble({ value: tooLong }))).reason).toBe('schema_violation');
    const truncated = rejected(parseBle(ble({ value: bleHex(u8(0x00), sfloat(121)) })));
    expect(truncated).toMatchObject({ reason: 'truncated', messageId: 'ble-1', deviceRef: DEVICE_ID });
    expect(truncated.detail).toContain('2A35');
  });

  it('rejects an unknown characteristic, a bad receivedAt and extra fields', () => {
    expect(rejected(parseBle(ble({ characteristic: '2A37' }))).reason).toBe('unknown_characteristic');
    expect(rejected(parseBle(ble({ receivedAt: 'yesterday' }))).reason).toBe('invalid_timestamp');
    expect(rejected(parseBle(ble({ readings: [] }))).reason).toBe('schema_violation');
    expect(rejected(parseBle({ ...ble(), messageId: undefined })).reason).toBe('schema_violation');
  });

  it('holds BLE measurements to the same time and plausibility checks as readings', () => {
    const future = bpWithStatus(128, 84, dateTime(2026, 11, 25, 9, 0, 0));
    expect(rejected(parseBle(ble({ value: future }))).reason).toBe('measured_at_in_future');
    const old = bpWithStatus(128, 84, dateTime(2012, 1, 1, 0, 0, 0));
    expect(rejected(parseBle(ble({ value: old }))).reason).toBe('measured_at_too_old');
    expect(rejected(parseBle(ble({ value: bpWithStatus(900, 84) }))).reason).toBe('implausible_value');
    expect(rejected(parseBle(ble({ value: bpWithStatus(80, 84) }))).reason).toBe(
      'systolic_not_above_diastolic',
    );
  });

  it('keeps a JSON readings message on the ble topic out', () => {
    expect(rejected(parseBle(message(bp(120, 80)))).reason).toBe('schema_violation');
  });

  it('has a rejection reason for every decoder failure', () => {
    expect(REJECTION_REASONS).toEqual(expect.arrayContaining([...BLE_DECODE_FAILURES]));
  });
});

describe('Bluetooth measurements with special values and device clocks', () => {
  const BLE_TOPIC = bleTopic(DEVICE_ID);
  const RECEIVED_AT = '2026-11-25T07:30:00Z';
  const HOUR = 60 * MINUTE;
  const NAN = u16(SFLOAT_SPECIAL.NaN);
  // Blood Pressure Measurement with time stamp and pulse.
  const cuff = (systolic: number[], diastolic: number[], pulse: number[], stamp: number[]) =>
    bleHex(u8(0x02 | 0x04), systolic, diastolic, sfloat(93), stamp, pulse);
  const ble = (value: string, extra: Record<string, unknown> = {}) =>
    Buffer.from(
      JSON.stringify({
        messageId: 'ble-9',
        characteristic: '2A35',
        value,
        receivedAt: RECEIVED_AT,
        ...extra,
      }),
    );
  const parseBle = (value: string, extra: Record<string, unknown> = {}, timeZone: string | null = null) =>
    parseDeviceMessage(BLE_TOPIC, ble(value, extra), NOW, timeZone);

  it('stores 200/130 whose pulse is NaN and names the missing pulse', () => {
    const result = accepted(parseBle(cuff(sfloat(200), sfloat(130), NAN, dateTime(2026, 11, 25, 7, 20, 0))));
    expect(result.readings.map((r) => [r.type, r.value])).toEqual([
      ['blood_pressure_systolic', 200],
      ['blood_pressure_diastolic', 130],
    ]);
    expect(result.flags).toEqual(['field_unavailable:heart_rate']);
  });

  it('stores a systolic 200 whose diastolic is NaN: nothing to compare it with', () => {
    const result = accepted(parseBle(cuff(sfloat(200), NAN, sfloat(90), dateTime(2026, 11, 25, 7, 20, 0))));
    expect(result.readings.map((r) => r.type)).toEqual(['blood_pressure_systolic', 'heart_rate']);
  });

  it('rejects an implausible value with the value refused, for the device notice', () => {
    const oximeter = bleHex(u8(0), sfloat(12), sfloat(70));
    const result = rejected(parseDeviceMessage(BLE_TOPIC, ble(oximeter, { characteristic: '2A5E' }), NOW));
    expect(result).toMatchObject({
      reason: 'implausible_value',
      implausible: { type: 'oxygen_saturation', value: 12, unit: '%' },
    });
    const json = rejected(parse(message([{ type: 'oxygen_saturation', value: 12, unit: '%' }])));
    expect(json.implausible).toEqual({ type: 'oxygen_saturation', value: 12, unit: '%' });
  });

  it('rejects control-solution and test data with their own reasons', () => {
    const control = bleHex(u8(0x02), u16(3), dateTime(2026, 11, 25, 7, 20, 0), sfloat(300, -5), u8(0x1a));
    expect(rejected(parseBle(control, { characteristic: '2A18' })).reason).toBe('control_solution');
    const demo = bleHex(u8(0x02), sfloat(97), sfloat(70), u16(1 << 10));
    expect(rejected(parseBle(demo, { characteristic: '2A5E' })).reason).toBe('device_test_data');
  });

  describe('device clock', () => {
    // Measured 07:20Z, received 07:30Z, processed at 08:00Z.
    const stampedAt = (hours: number, minutes: number, day = 25) =>
      cuff(sfloat(128), sfloat(84), sfloat(70), dateTime(2026, 11, day, hours, minutes, 0));

    it('reads the time stamp in the patient’s zone by default, and as UTC when the hub says so', () => {
      // Berlin is UTC+1 in November: 08:20 local is 07:20Z.
      const local = accepted(parseBle(stampedAt(8, 20), {}, 'Europe/Berlin'));
      expect(local.measuredAt).toEqual(new Date('2026-11-25T07:20:00Z'));
      expect(local.flags).toEqual([]);
      expect(
        accepted(parseBle(stampedAt(8, 20), { deviceClock: 'local' }, 'Europe/Berlin')).measuredAt,
      ).toEqual(new Date('2026-11-25T07:20:00Z'));
      const utc = accepted(parseBle(stampedAt(7, 20), { deviceClock: 'utc' }, 'Europe/Berlin'));
      expect(utc.measuredAt).toEqual(new Date('2026-11-25T07:20:00Z'));
      // A patient with no zone: UTC, as adherence reads them.
      expect(accepted(parseBle(stampedAt(7, 20))).measuredAt).toEqual(new Date('2026-11-25T07:20:00Z'));
    });

    it('refuses a deviceClock it does not know', () => {
      expect(rejected(parseBle(stampedAt(7, 20), { deviceClock: 'gmt' })).reason).toBe('schema_violation');
    });

    it('reads a local clock ahead of UTC (Tokyo) without refusing it as future', () => {
      // 16:20 in Tokyo (UTC+9) is 07:20Z; read as UTC it would be 8 h in the future.
      expect(accepted(parseBle(stampedAt(16, 20), {}, 'Asia/Tokyo')).measuredAt).toEqual(
        new Date('2026-11-25T07:20:00Z'),
      );
      expect(rejected(parseBle(stampedAt(16, 20), { deviceClock: 'utc' }, 'Asia/Tokyo')).reason).toBe(
        'measured_at_in_future',
      );
    });

    // Attack: a clock off by each whole number of hours from 1 to 14, either way.
    it.each(Array.from({ length: 14 }, (_, i) => i + 1))(
      'flags a clock %i h off receivedAt as clock_suspect, and stores it',
      (hours) => {
        const received = new Date(RECEIVED_AT).getTime();
        for (const sign of [1, -1]) {
          const stamp = new Date(received + sign * hours * HOUR - MINUTE);
          const value = cuff(
            sfloat(128),
            sfloat(84),
            sfloat(70),
            dateTime(
              stamp.getUTCFullYear(),
              stamp.getUTCMonth() + 1,
              stamp.getUTCDate(),
              stamp.getUTCHours(),
              stamp.getUTCMinutes(),
              0,
            ),
          );
          const result = accepted(parseBle(value, { deviceClock: 'utc' }));
          expect(result.flags).toEqual(['clock_suspect']);
          // After receivedAt: taken as receivedAt; before it: the stamp, as sent.
          expect(result.measuredAt).toEqual(sign > 0 ? new Date(RECEIVED_AT) : stamp);
        }
      },
    );

    it('takes receivedAt for a suspect stamp after it, even when both are in the past (a hub’s backlog)', () => {
      // Received at 06:00, stamped 07:00 (not yet future at 08:00): a stamp after its receipt is wrong.
      const result = accepted(
        parseDeviceMessage(
          BLE_TOPIC,
          ble(stampedAt(7, 0), { receivedAt: '2026-11-25T06:00:00Z', deviceClock: 'utc' }),
          NOW,
        ),
      );
      expect(result.flags).toEqual(['clock_suspect']);
      expect(result.measuredAt).toEqual(new Date('2026-11-25T06:00:00Z'));
    });

    it('refuses a stamp ahead by more than 14 h, or ahead by hours and minutes, as in the future', () => {
      expect(rejected(parseBle(stampedAt(22, 30), { deviceClock: 'utc' })).reason).toBe(
        'measured_at_in_future',
      );
      expect(rejected(parseBle(stampedAt(9, 45), { deviceClock: 'utc' })).reason).toBe(
        'measured_at_in_future',
      );
    });

    it('does not suspect a clock whose stamp is minutes or hours-and-minutes off', () => {
      expect(accepted(parseBle(stampedAt(7, 0), { deviceClock: 'utc' })).flags).toEqual([]);
      expect(accepted(parseBle(stampedAt(5, 45), { deviceClock: 'utc' })).flags).toEqual([]);
    });

    it('flags a clock that missed daylight saving (one hour off in the patient’s zone)', () => {
      // New York in July is UTC-4; a clock kept on standard time shows 02:30 for 07:30Z.
      const received = '2026-07-01T07:30:00Z';
      const value = cuff(sfloat(128), sfloat(84), sfloat(70), dateTime(2026, 7, 1, 2, 30, 0));
      const result = parseDeviceMessage(
        BLE_TOPIC,
        ble(value, { receivedAt: received }),
        new Date('2026-07-01T07:31:00Z'),
        'America/New_York',
      );
      expect(accepted(result).flags).toEqual(['clock_suspect']);
    });

    it('leaves JSON messages and untimed BLE measurements alone', () => {
      const json = accepted(parse(message(bp(120, 80))));
      expect(settleDeviceTime(json, 'Asia/Tokyo', NOW)).toBe(json);
      const untimed = accepted(
        parseBle(bleHex(u8(0), sfloat(121), sfloat(79), sfloat(93)), {}, 'Asia/Tokyo'),
      );
      expect(untimed.measuredAt).toEqual(new Date(RECEIVED_AT));
    });

    it('keeps the time stamp pending until the zone is known (parseDevicePayload)', () => {
      const [result] = parseDevicePayload(BLE_TOPIC, ble(stampedAt(16, 20)), NOW);
      expect(accepted(result).pendingTime).toEqual({
        deviceTime: new Date('2026-11-25T16:20:00Z'),
        deviceClock: 'local',
        receivedAt: new Date(RECEIVED_AT),
      });
      expect(accepted(settleDeviceTime(result, 'Asia/Tokyo', NOW)).measuredAt).toEqual(
        new Date('2026-11-25T07:20:00Z'),
      );
      expect(rejected(settleDeviceTime(result, null, NOW)).reason).toBe('measured_at_in_future');
    });
  });
});

describe('parseDevicePayload', () => {
  const parseAll = (body: unknown, topic = TOPIC) =>
    parseDevicePayload(topic, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), NOW);
  const batchOf = (count: number) =>
    Array.from({ length: count }, (_, i) => message(bp(130, 85), { messageId: `hub-${i}` }));

  it('reads a single message as one result, as parseDeviceMessage does', () => {
    const body = message(bp(130, 85));
    expect(parseAll(body)).toEqual([parse(body)]);
  });

  it('reads a hub batch as one result per message, in order', () => {
    const results = parseAll({ messages: batchOf(3) });
    expect(results.map((result) => accepted(result).messageId)).toEqual(['hub-0', 'hub-1', 'hub-2']);
  });

  it(`accepts ${DEVICE_CONTRACT.maxMessagesPerBatch} messages of a typical size within the batch payload limit`, () => {
    const payload = JSON.stringify({ messages: batchOf(DEVICE_CONTRACT.maxMessagesPerBatch) });
    expect(Buffer.byteLength(payload)).toBeLessThan(DEVICE_CONTRACT.maxBatchPayloadBytes / 4);
    const results = parseAll(payload);
    expect(results).toHaveLength(DEVICE_CONTRACT.maxMessagesPerBatch);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('rejects only the bad message of a batch, naming its index and keeping its messageId and payload', () => {
    const bad = message(bp(80, 120), { messageId: 'hub-bad' });
    const [first, second, third] = parseAll({ messages: [...batchOf(1), bad, 42] });
    expect(first.ok).toBe(true);
    const rejection = rejected(second);
    expect(rejection).toMatchObject({
      reason: 'systolic_not_above_diastolic',
      messageId: 'hub-bad',
      deviceRef: DEVICE_ID,
    });
    expect(rejection.detail).toMatch(/^\/messages\/1: /);
    expect(JSON.parse(rejection.payload!.toString())).toEqual(bad);
    expect(rejected(third)).toMatchObject({ reason: 'schema_violation', messageId: null });
    expect(rejected(third).payload!.toString()).toBe('42');
  });

  it('holds each message of a batch to the single-message checks (duplicate types, text, time window)', () => {
    const results = parseAll(
      `{"messages":[${JSON.stringify(message([...bp(130, 85), ...bp(131, 86)], { messageId: 'dup' }))},` +
        `{"messageId":"nul\\u0000","measuredAt":"${MEASURED_AT}","readings":[]},` +
        `${JSON.stringify(message(bp(130, 85), { messageId: 'future', measuredAt: '2026-11-25T09:00:00Z' }))}]}`,
    );
    expect(results.map((result) => rejected(result).reason)).toEqual([
      'duplicate_type',
      'invalid_characters',
      'measured_at_in_future',
    ]);
  });

  it(`rejects a batch of more than ${DEVICE_CONTRACT.maxMessagesPerBatch} messages whole, without a messageId`, () => {
    const results = parseAll({ messages: batchOf(DEVICE_CONTRACT.maxMessagesPerBatch + 1) });
    expect(results).toHaveLength(1);
    expect(rejected(results[0])).toMatchObject({ reason: 'batch_too_large', messageId: null });
    expect(rejected(results[0]).detail).toContain(String(DEVICE_CONTRACT.maxMessagesPerBatch));
  });

  it.each([
    ['not an array', { messages: { messageId: 'x' } }],
    ['empty', { messages: [] }],
    ['beside other fields', { messages: batchOf(1), hub: 'h-1' }],
  ])('rejects a batch whose messages are %s whole, as a schema violation', (_, body) => {
    const results = parseAll(body);
    expect(results).toHaveLength(1);
    expect(rejected(results[0])).toMatchObject({ reason: 'schema_violation', messageId: null });
  });

  it('allows a batch beyond the single-message size limit but not beyond the batch limit', () => {
    const padded = (bytes: number) => {
      const json = JSON.stringify({ messages: batchOf(2) });
      return json + ' '.repeat(bytes - Buffer.byteLength(json));
    };
    expect(parseAll(padded(DEVICE_CONTRACT.maxPayloadBytes + 1)).every((result) => result.ok)).toBe(true);
    expect(parseAll(padded(DEVICE_CONTRACT.maxBatchPayloadBytes))).toHaveLength(2);
    const [over] = parseAll(padded(DEVICE_CONTRACT.maxBatchPayloadBytes + 1));
    expect(rejected(over)).toMatchObject({ reason: 'payload_too_large' });
    expect(rejected(over).detail).toContain(String(DEVICE_CONTRACT.maxBatchPayloadBytes));
  });

  it('keeps the single-message size limit for a message that is not a batch, JSON or not', () => {
    const json = JSON.stringify(message(bp(130, 85)));
    const padded = json + ' '.repeat(DEVICE_CONTRACT.maxPayloadBytes + 1 - Buffer.byteLength(json));
    for (const body of [padded, 'x'.repeat(DEVICE_CONTRACT.maxPayloadBytes + 1)]) {
      const [result] = parseAll(body);
      expect(rejected(result).reason).toBe('payload_too_large');
      expect(rejected(result).detail).toContain(`the limit is ${DEVICE_CONTRACT.maxPayloadBytes}`);
    }
  });

  it('does not read a batch on the ble topic', () => {
    const [result] = parseAll({ messages: batchOf(1) }, bleTopic(DEVICE_ID));
    expect(rejected(result).reason).toBe('schema_violation');
  });

  it('gives no device to a message whose topic names none', () => {
    const [result] = parseAll({ messages: batchOf(2) }, 'v1/devices/not-a-uuid/readings');
    expect(rejected(result)).toMatchObject({ reason: 'invalid_device_id' });
  });
});

describe('estimateDeviceMessages', () => {
  it('counts one for a message, one per message of a hub batch, capped at the batch limit', () => {
    const body = (i: number) => message(bp(130, 85), { messageId: `m-${i}` });
    const batch = (n: number) =>
      Buffer.from(JSON.stringify({ messages: Array.from({ length: n }, (_, i) => body(i)) }));
    expect(estimateDeviceMessages(Buffer.from(JSON.stringify(body(1))))).toBe(1);
    expect(estimateDeviceMessages(Buffer.from('not json at all'))).toBe(1);
    expect(estimateDeviceMessages(batch(37))).toBe(37);
    expect(estimateDeviceMessages(batch(DEVICE_CONTRACT.maxMessagesPerBatch + 50))).toBe(
      DEVICE_CONTRACT.maxMessagesPerBatch,
    );
  });
});
