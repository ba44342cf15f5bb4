import type { ByteReader } from './byte-reader';
import { BleDecodeError } from './ble-decode.error';
import { bleReading, type BleMeasurementBody } from './ble-measurement';

/**
 * Weight Measurement (0x2A9D). Flags: bit0 imperial (lb in 0.01, inches in 0.1; else kg in
 * 0.005, metres in 0.001), bit1 time stamp, bit2 user id, bit3 BMI and height.
 */
export function decodeWeight(reader: ByteReader): BleMeasurementBody {
  const flagsByte = reader.uint8('flags');
  const imperial = (flagsByte & 0x01) !== 0;
  const raw = reader.uint16('weight');
  if (raw === 0xffff) throw new BleDecodeError('measurement_unsuccessful', 'the scale reports weight 0xFFFF');
  // Integer arithmetic first, one division last, so 70.005 kg is 70.005 and not 70.00500000000001.
  const weight = imperial ? raw / 100 : (raw * 5) / 1000;
  const body: BleMeasurementBody = {
    readings: [bleReading('body_weight', weight, imperial ? '[lb_av]' : 'kg')],
    flags: [],
    unavailable: [],
    context: {},
  };
  if (flagsByte & 0x02) body.deviceTime = reader.dateTime('time stamp').date;
  if (flagsByte & 0x04) {
    const userId = reader.uint8('user id');
    if (userId !== 0xff) body.userId = userId;
  }
  if (flagsByte & 0x08) {
    body.context.bmi = reader.uint16('BMI') / 10;
    const height = reader.uint16('height');
    body.context.heightM = imperial ? Math.round(height * 2.54) / 1000 : height / 1000;
  }
  return body;
}
