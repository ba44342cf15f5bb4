export { BLE_DECODE_FAILURES, type BleDecodeFailureReason } from './ble-decode.error';
export {
  BLE_CHARACTERISTICS,
  type BleCharacteristic,
  type BleDecodeFailure,
  type BleDecodeResult,
  type BleDecoded,
  type BleMeasurementContext,
} from './ble-measurement';
export { decodeBleMeasurement } from './ble-measurement.decoder';
