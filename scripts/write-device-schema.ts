import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceMessageSchemaV1 } from '@homeward/contracts';

/** Writes the device contract's JSON Schema for device makers (docs/device-message.v1.schema.json). */
const target = join(__dirname, '..', '..', 'docs', 'device-message.v1.schema.json');
writeFileSync(target, `${JSON.stringify(deviceMessageSchemaV1(), null, 2)}\n`);
process.stdout.write(`Wrote ${target}\n`);
