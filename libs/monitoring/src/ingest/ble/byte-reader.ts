import { BleDecodeError } from './ble-decode.error';
import { decodeFloat, decodeSfloat, type Ieee11073Value } from './ieee11073';

export interface BleDateTime {
  /** The wall-clock time in the Date's UTC fields; absent when the device marks the date "not known" (year, month or day 0). */
  date?: Date;
}

/**
 * A little-endian cursor over a characteristic value. Every read names its field, so a
 * value cut short fails with `truncated: <field> ...` rather than a generic range error.
 */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint8(field: string): number {
    this.need(1, field);
    return this.bytes[this.offset++];
  }

  uint16(field: string): number {
    this.need(2, field);
    const value = this.bytes[this.offset] | (this.bytes[this.offset + 1] << 8);
    this.offset += 2;
    return value;
  }

  sint16(field: string): number {
    const value = this.uint16(field);
    return value & 0x8000 ? value - 0x10000 : value;
  }

  uint24(field: string): number {
    this.need(3, field);
    const b = this.bytes;
    const value = b[this.offset] | (b[this.offset + 1] << 8) | (b[this.offset + 2] << 16);
    this.offset += 3;
    return value;
  }

  uint32(field: string): number {
    this.need(4, field);
    const b = this.bytes;
    const value =
      (b[this.offset] | (b[this.offset + 1] << 8) | (b[this.offset + 2] << 16)) +
      b[this.offset + 3] * 2 ** 24;
    this.offset += 4;
    return value;
  }

  skip(count: number, field: string): void {
    this.need(count, field);
    this.offset += count;
  }

  sfloat(field: string): Ieee11073Value {
    return decodeSfloat(this.uint16(field));
  }

  float(field: string): Ieee11073Value {
    return decodeFloat(this.uint32(field));
  }

  /**
   * Bluetooth "Date Time" (7 bytes: year uint16, month, day, hours, minutes, seconds). It has no
   * time zone: the wall-clock time is returned in the Date's UTC fields, for the caller to place
   * in the zone the device's clock keeps (`deviceClock`).
   */
  dateTime(field: string): BleDateTime {
    this.need(7, field);
    const year = this.uint16(field);
    const month = this.uint8(field);
    const day = this.uint8(field);
    const hours = this.uint8(field);
    const minutes = this.uint8(field);
    const seconds = this.uint8(field);
    const shown = `${year}-${month}-${day} ${hours}:${minutes}:${seconds}`;
    const invalid = (why: string): BleDecodeError =>
      new BleDecodeError('invalid_timestamp', `${field} ${shown}: ${why}`);
    if (year !== 0 && (year < 1582 || year > 9999)) throw invalid('year must be 1582-9999 or 0 (not known)');
    if (month > 12) throw invalid('month must be 1-12 or 0 (not known)');
    if (day > 31) throw invalid('day must be 1-31 or 0 (not known)');
    if (hours > 23 || minutes > 59 || seconds > 59) throw invalid('time of day out of range');
    if (year === 0 || month === 0 || day === 0) return {};
    const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
    // Date.UTC also fixes years 0-99 to 1900-1999, but those are already refused above.
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
      throw invalid('no such day in that month');
    return { date };
  }

  private need(count: number, field: string): void {
    if (this.remaining < count) {
      throw new BleDecodeError(
        'truncated',
        `${field} needs ${count} byte(s) at offset ${this.offset}; ${this.remaining} left`,
      );
    }
  }
}
