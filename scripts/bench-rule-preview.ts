import { performance } from 'node:perf_hooks';
import { VITALS, type VitalType } from '@homeward/contracts';
import { PROTOCOLS, previewRule, type EngineReading } from '@homeward/alerting';

/**
 * Rule backtesting (`POST /api/rules/preview`): one proposed rule over 1,000 patients x 30 days
 * of home readings (about four measurements a day). Prints figures; asserts nothing.
 */
const PATIENTS = Number(process.env.BENCH_PREVIEW_PATIENTS ?? 1000);
const DAYS = 30;
const HOUR = 3600_000;
const start = Date.UTC(2026, 9, 1);

let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function reading(patientId: string, n: number, type: VitalType, value: number, at: number): EngineReading {
  return {
    patientId,
    deviceId: `${patientId}-device`,
    messageId: `m${n}`,
    measuredAt: new Date(at),
    type,
    value,
    unit: VITALS[type].unit,
  };
}

const cohort = new Map<string, EngineReading[]>();
for (let p = 0; p < PATIENTS; p++) {
  const id = `p${p}`;
  const rows: EngineReading[] = [];
  let weight = 70 + random() * 30;
  for (let day = 0; day < DAYS; day++) {
    for (const hour of [7, 19]) {
      const at = start + (day * 24 + hour) * HOUR;
      rows.push(reading(id, rows.length, 'blood_pressure_systolic', 115 + random() * 50, at));
      rows.push(reading(id, rows.length, 'blood_pressure_diastolic', 70 + random() * 30, at));
    }
    weight += (random() - 0.45) * 0.8;
    rows.push(
      reading(id, rows.length, 'body_weight', Math.round(weight * 100) / 100, start + (day * 24 + 7) * HOUR),
    );
    rows.push(
      reading(id, rows.length, 'oxygen_saturation', 86 + random() * 13, start + (day * 24 + 8) * HOUR),
    );
  }
  cohort.set(id, rows);
}
const total = [...cohort.values()].reduce((sum, rows) => sum + rows.length, 0);
console.log(`rule preview: ${PATIENTS} patients x ${DAYS} days, ${total.toLocaleString('en')} readings`);
for (const protocol of PROTOCOLS) {
  for (const rule of protocol.rules) {
    if (rule.definition.kind === 'missed') continue;
    previewRule(rule.definition, cohort);
    const started = performance.now();
    const result = previewRule(rule.definition, cohort);
    const ms = performance.now() - started;
    console.log(
      `  ${rule.id.padEnd(36)} ${ms.toFixed(0).padStart(5)} ms  breaches ${result.breaches}, alerts ${result.alerts}`,
    );
  }
}
