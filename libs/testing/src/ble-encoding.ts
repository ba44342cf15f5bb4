/**
 * Builds Bluetooth LE characteristic values field by field (little-endian), so test vectors
 * read like the SIG layout they encode: `bleHex(u8(0x00), sfloat(120), sfloat(80), sfloat(93))`.
 */
export type BleField = number[];

export const u8 = (value: number): BleField => [value & 0xff];
export const u16 = (value: number): BleField => [value & 0xff, (value >>> 8) & 0xff];
export const s16 = (value: number): BleField => u16(value & 0xffff);
export const u24 = (value: number): BleField => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff];
export const u32 = (value: number): BleField => [...u16(value & 0xffff), ...u16((value >>> 16) & 0xffff)];

/** IEEE 11073 SFLOAT: mantissa × 10^exponent, 12-bit mantissa and 4-bit exponent. */
export const sfloat = (mantissa: number, exponent = 0): BleField =>
  u16(((exponent & 0x0f) << 12) | (mantissa & 0x0fff));

/** IEEE 11073 FLOAT (32-bit): 24-bit mantissa and 8-bit exponent. */
export const float32 = (mantissa: number, exponent = 0): BleField =>
  u32((((exponent & 0xff) << 24) | (mantissa & 0x00ffffff)) >>> 0);

/** The raw SFLOAT and FLOAT special values, to encode with `u16` and `u32`. */
export const SFLOAT_SPECIAL = {
  NaN: 0x07ff,
  NRes: 0x0800,
  '+INFINITY': 0x07fe,
  '-INFINITY': 0x0802,
  reserved: 0x0801,
} as const;
export const FLOAT_SPECIAL = {
  NaN: 0x007fffff,
  NRes: 0x00800000,
  '+INFINITY': 0x007ffffe,
  '-INFINITY': 0x00800002,
  reserved: 0x00800001,
} as const;

/** Bluetooth "Date Time": year uint16, month, day, hours, minutes, seconds. */
export const dateTime = (
  year: number,
  month: number,
  day: number,
  hours = 0,
  minutes = 0,
  seconds = 0,
): BleField => [...u16(year), month, day, hours, minutes, seconds];

export function bleHex(...fields: BleField[]): string {
  return Buffer.from(fields.flat()).toString('hex');
}
