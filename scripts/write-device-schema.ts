import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deviceBleMessageSchemaV1,
  deviceHubBatchSchemaV1,
  deviceMessageSchemaV1,
  deviceStatusMessageSchemaV1,
} from '@homeward/contracts';

/**
 * Writes the device contract's JSON Schemas for device makers: docs/device-message.v1.schema.json
 * (readings), docs/device-hub-batch.v1.schema.json (a hub's buffered readings in one payload),
 * docs/device-ble-message.v1.schema.json (raw Bluetooth LE measurements) and
 * docs/device-status-message.v1.schema.json (a device's battery, firmware and signal).
 */
const docs = join(__dirname, '..', '..', 'docs');
const schemas: Array<[string, Record<string, unknown>]> = [
  ['device-message.v1.schema.json', deviceMessageSchemaV1()],
  ['device-hub-batch.v1.schema.json', deviceHubBatchSchemaV1()],
  ['device-ble-message.v1.schema.json', deviceBleMessageSchemaV1()],
  ['device-status-message.v1.schema.json', deviceStatusMessageSchemaV1()],
];
for (const [name, schema] of schemas) {
  const target = join(docs, name);
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`Wrote ${target}\n`);
}
