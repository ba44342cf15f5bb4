/** The reserved bit patterns of IEEE 11073-20601 floats, which carry no number. */
export type Ieee11073Special = 'NaN' | 'NRes' | '+INFINITY' | '-INFINITY' | 'reserved';

/** A decoded float kept as mantissa and base-10 exponent, so scaling by powers of ten stays exact. */
export interface Ieee11073Number {
  mantissa: number;
  exponent: number;
}

export type Ieee11073Value = Ieee11073Number | { special: Ieee11073Special };

// The specials are defined with exponent 0, keyed by their raw mantissa.
const SFLOAT_SPECIALS: Readonly<Record<number, Ieee11073Special>> = {
  0x07ff: 'NaN',
  0x0800: 'NRes',
  0x07fe: '+INFINITY',
  0x0802: '-INFINITY',
  0x0801: 'reserved',
};

const FLOAT_SPECIALS: Readonly<Record<number, Ieee11073Special>> = {
  0x007fffff: 'NaN',
  0x00800000: 'NRes',
  0x007ffffe: '+INFINITY',
  0x00800002: '-INFINITY',
  0x00800001: 'reserved',
};

/** SFLOAT: 4-bit signed exponent over a 12-bit signed mantissa (two's complement). */
export function decodeSfloat(raw: number): Ieee11073Value {
  const bits = raw & 0xffff;
  const special = SFLOAT_SPECIALS[bits];
  if (special) return { special };
  return { mantissa: signed(bits & 0x0fff, 12), exponent: signed(bits >>> 12, 4) };
}

/** FLOAT: 8-bit signed exponent over a 24-bit signed mantissa (two's complement). */
export function decodeFloat(raw: number): Ieee11073Value {
  const bits = raw >>> 0;
  const special = FLOAT_SPECIALS[bits];
  if (special) return { special };
  return { mantissa: signed(bits & 0x00ffffff, 24), exponent: signed(bits >>> 24, 8) };
}

export function isSpecial(value: Ieee11073Value): value is { special: Ieee11073Special } {
  return 'special' in value;
}

/**
 * mantissa × 10^(exponent + shift). Dividing by a power of ten (rather than multiplying by
 * 10^-n) gives the double nearest the decimal: 1234e-1 is 123.4, not 123.39999999999999.
 */
export function toNumber(value: Ieee11073Number, shift = 0): number {
  const exponent = value.exponent + shift;
  return exponent >= 0 ? value.mantissa * 10 ** exponent : value.mantissa / 10 ** -exponent;
}

function signed(value: number, width: number): number {
  const sign = 1 << (width - 1);
  return value & sign ? value - 2 * sign : value;
}
