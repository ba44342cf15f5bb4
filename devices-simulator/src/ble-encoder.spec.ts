import type { DeviceMessageV1 } from '@homeward/contracts';
import {
  encodeBleMeasurements,
  encodeBloodPressure,
  encodeDateTime,
  encodeFloat,
  encodeGlucose,
  encodePlxSpotCheck,
  encodeSfloat,
  encodeTemperature,
  encodeWeight,
} from './ble-encoder';

/** A minimal reader for the round trips, independent of the encoder's helpers. */
class Reader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  static hex(hex: string): Reader {
    return new Reader(Buffer.from(hex, 'hex'));
  }
  u8(): number {
    return this.bytes.readUInt8(this.offset++);
  }
  u16(): number {
    const v = this.bytes.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }
  sfloat(): number {
    const raw = this.u16();
    const mantissa = (raw & 0x0fff) >= 0x0800 ? (raw & 0x0fff) - 0x1000 : raw & 0x0fff;
    const exponent = raw >> 12 >= 8 ? (raw >> 12) - 16 : raw >> 12;
    return mantissa * 10 ** exponent;
  }
  float(): number {
    const raw = this.bytes.readUInt32LE(this.offset);
    this.offset += 4;
    const m = raw & 0xffffff;
    const mantissa = m >= 0x800000 ? m - 0x1000000 : m;
    const exponent = this.bytes.readInt8(this.offset - 1);
    return mantissa * 10 ** exponent;
  }
  dateTime(): Date {
    const [year, month, day, h, m, s] = [this.u16(), this.u8(), this.u8(), this.u8(), this.u8(), this.u8()];
    return new Date(Date.UTC(year, month - 1, day, h, m, s));
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
}

const AT = new Date('2026-11-25T07:02:11Z');

describe('BLE encoder', () => {
  it('encodes IEEE 11073 SFLOAT and FLOAT values', () => {
    expect(encodeSfloat(120, 0)).toEqual([0x78, 0x00]);
    // 36.6 with one decimal: mantissa 366, exponent -1 (0xF).
    expect(encodeSfloat(36.6, 1)).toEqual([0x6e, 0xf1]);
    // Too many digits for 12 bits: fewer decimals rather than a special value.
    expect(Reader.hex(Buffer.from(encodeSfloat(1234.5, 1)).toString('hex')).sfloat()).toBe(1235);
    expect(Reader.hex(Buffer.from(encodeFloat(98.6, 1)).toString('hex')).float()).toBeCloseTo(98.6, 9);
    expect(encodeDateTime(AT)).toEqual([0xea, 0x07, 11, 25, 7, 2, 11]);
  });

  it('round-trips a blood pressure measurement with time stamp, pulse and status bits', () => {
    const r = Reader.hex(
      encodeBloodPressure({ systolic: 152, diastolic: 96, pulse: 71, at: AT, status: 0x0001 }),
    );
    expect(r.u8()).toBe(0x02 | 0x04 | 0x10);
    expect([r.sfloat(), r.sfloat(), r.sfloat()]).toEqual([152, 96, 115]);
    expect(r.dateTime()).toEqual(AT);
    expect(r.sfloat()).toBe(71);
    expect(r.u16()).toBe(0x0001);
    expect(r.remaining).toBe(0);
  });

  it('round-trips weight in kg (0.005 kg steps) and lb (0.01 lb steps)', () => {
    let r = Reader.hex(encodeWeight({ value: 82.4, unit: 'kg', at: AT }));
    expect(r.u8()).toBe(0x02);
    expect((r.u16() * 5) / 1000).toBeCloseTo(82.4, 9);
    expect(r.dateTime()).toEqual(AT);
    r = Reader.hex(encodeWeight({ value: 181.6, unit: '[lb_av]', at: AT }));
    expect(r.u8()).toBe(0x03);
    expect(r.u16() / 100).toBeCloseTo(181.6, 9);
  });

  it('round-trips a PLX spot-check with time stamp and device status', () => {
    const r = Reader.hex(encodePlxSpotCheck({ spo2: 88, pulse: 97, at: AT, sensorStatus: 0x20 }));
    expect(r.u8()).toBe(0x05);
    expect([r.sfloat(), r.sfloat()]).toEqual([88, 97]);
    expect(r.dateTime()).toEqual(AT);
    expect([r.u8(), r.u8(), r.u8()]).toEqual([0x20, 0, 0]);
  });

  it('round-trips glucose in kg/L and mol/L with sequence number and base time', () => {
    let r = Reader.hex(encodeGlucose({ value: 142, unit: 'mg/dL', sequence: 7, at: AT }));
    expect(r.u8()).toBe(0x02);
    expect(r.u16()).toBe(7);
    expect(r.dateTime()).toEqual(AT);
    expect(r.sfloat() * 1e5).toBeCloseTo(142, 6);
    expect(r.u8()).toBe(0x11);
    r = Reader.hex(encodeGlucose({ value: 7.9, unit: 'mmol/L', sequence: 8, at: AT }));
    expect(r.u8()).toBe(0x06);
    r.u16();
    r.dateTime();
    expect(r.sfloat() * 1e3).toBeCloseTo(7.9, 9);
  });

  it('round-trips temperature in Celsius and Fahrenheit', () => {
    let r = Reader.hex(encodeTemperature({ value: 36.8, unit: 'Cel', at: AT }));
    expect(r.u8()).toBe(0x06);
    expect(r.float()).toBeCloseTo(36.8, 9);
    expect(r.dateTime()).toEqual(AT);
    expect(r.u8()).toBe(6);
    r = Reader.hex(encodeTemperature({ value: 98.4, unit: '[degF]', at: AT }));
    expect(r.u8()).toBe(0x07);
    expect(r.float()).toBeCloseTo(98.4, 9);
  });

  it('turns one hub message into one characteristic per measurement', () => {
    const message: DeviceMessageV1 = {
      messageId: 'hub-1',
      measuredAt: '2026-11-25T07:02:11Z',
      readings: [
        { type: 'blood_pressure_systolic', value: 130, unit: 'mm[Hg]' },
        { type: 'blood_pressure_diastolic', value: 85, unit: 'mm[Hg]' },
        { type: 'heart_rate', value: 72, unit: '/min' },
        { type: 'oxygen_saturation', value: 96, unit: '%' },
        { type: 'body_weight', value: 80.1, unit: 'kg' },
        { type: 'body_temperature', value: 36.7, unit: 'Cel' },
        { type: 'blood_glucose', value: 6.1, unit: 'mmol/L' },
      ],
    };
    const out = encodeBleMeasurements(message, {
      receivedAt: new Date('2026-11-25T07:02:13.456Z'),
      sequence: 1,
    });
    expect(out.map((m) => m.characteristic)).toEqual(['2A35', '2A9D', '2A5E', '2A18', '2A1C']);
    expect(
      out.every((m) => m.receivedAt === '2026-11-25T07:02:13Z' && /^([0-9a-f]{2})+$/.test(m.value)),
    ).toBe(true);
    // Its time stamps are UTC, and it says so: the platform would read them in the patient's zone.
    expect(out.every((m) => m.deviceClock === 'utc')).toBe(true);
  });
});
