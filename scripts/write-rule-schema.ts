import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDefinitionSchema } from '@homeward/alerting';

/** Writes the alert rules' JSON Schema for rule authors (docs/rules.schema.json). */
const target = join(__dirname, '..', '..', 'docs', 'rules.schema.json');
writeFileSync(target, `${JSON.stringify(ruleDefinitionSchema(), null, 2)}\n`);
process.stdout.write(`Wrote ${target}\n`);
