import { decodeFloat, decodeSfloat, isSpecial, toNumber, type Ieee11073Value } from './ieee11073';

function numberOf(value: Ieee11073Value): number {
  if (isSpecial(value)) throw new Error(`expected a number, got ${value.special}`);
  return toNumber(value);
}

describe('IEEE 11073 SFLOAT (16-bit)', () => {
  // Hand-checked: the top nibble is the signed exponent, the low 12 bits the signed mantissa.
  it.each([
    ['0072', 114], // exponent 0, mantissa 0x072 = 114
    ['F2B4', 69.2], // exponent -1, mantissa 0x2B4 = 692
    ['FF9C', -10], // exponent -1, mantissa 0xF9C = -100
    ['1001', 10], // exponent 1, mantissa 1
    ['2005', 500], // exponent 2, mantissa 5
    ['E3E8', 10], // exponent -2, mantissa 1000
    ['8001', 1e-8], // exponent -8 (the smallest), mantissa 1
    ['7001', 1e7], // exponent 7 (the largest), mantissa 1
    ['0000', 0],
    ['07FD', 2045], // the largest positive mantissa that is not a special value
    ['0803', -2045], // the most negative mantissa that is not a special value
    ['F7FF', 204.7], // 0x7FF with exponent -1 is a number: the specials have exponent 0
    ['F800', -204.8],
  ])('0x%s decodes to %s', (raw, expected) => {
    expect(numberOf(decodeSfloat(parseInt(raw, 16)))).toBe(expected);
  });

  it.each([
    ['07FF', 'NaN'],
    ['0800', 'NRes'],
    ['07FE', '+INFINITY'],
    ['0802', '-INFINITY'],
    ['0801', 'reserved'],
  ])('0x%s is the special value %s', (raw, special) => {
    expect(decodeSfloat(parseInt(raw, 16))).toEqual({ special });
  });

  it('keeps decimal values exact when scaled by powers of ten', () => {
    const value = decodeSfloat(0xd05f); // 95e-3
    expect(value).toEqual({ mantissa: 95, exponent: -3 });
    if (isSpecial(value)) throw new Error('unexpected special');
    expect(toNumber(value)).toBe(0.095);
    expect(toNumber(value, 3)).toBe(95);
    expect(toNumber(value, 5)).toBe(9500);
  });
});

describe('IEEE 11073 FLOAT (32-bit)', () => {
  it.each([
    ['FF00016E', 36.6], // exponent -1, mantissa 366
    ['FE000E4A', 36.58], // exponent -2, mantissa 3658
    ['00000025', 37],
    ['00FFFFFF', -1], // 24-bit two's complement
    ['FF800003', -838860.5], // exponent -1, mantissa -8388605 (not a special value)
    ['03000007', 7000],
    ['F6000001', 1e-10],
  ])('0x%s decodes to %s', (raw, expected) => {
    expect(numberOf(decodeFloat(parseInt(raw, 16)))).toBe(expected);
  });

  it.each([
    ['007FFFFF', 'NaN'],
    ['00800000', 'NRes'],
    ['007FFFFE', '+INFINITY'],
    ['00800002', '-INFINITY'],
    ['00800001', 'reserved'],
  ])('0x%s is the special value %s', (raw, special) => {
    expect(decodeFloat(parseInt(raw, 16))).toEqual({ special });
  });

  it('reads a special mantissa with a non-zero exponent as a number', () => {
    expect(numberOf(decodeFloat(0xff7fffff))).toBe(838860.7);
  });
});
