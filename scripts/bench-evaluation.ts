import { performance } from 'node:perf_hooks';
import { VITALS, type VitalType } from '@homeward/contracts';
import { batchFindings, type EngineReading } from '@homeward/alerting';

/**
 * Rule evaluation of one stored batch (what `readings.evaluate` does before it writes): 1,000
 * readings from 250 patients on the default rules, about one in twenty breaching. Prints
 * readings per second; asserts nothing. Run against two builds to compare engines.
 */
const BATCH = Number(process.env.BENCH_EVALUATION_BATCH ?? 1000);
const ROUNDS = Number(process.env.BENCH_EVALUATION_ROUNDS ?? 2000);
const now = new Date(Date.UTC(2026, 11, 1, 8));

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function reading(patient: number, n: number, type: VitalType, value: number): EngineReading {
  return {
    patientId: `p${patient}`,
    deviceId: `d${patient}`,
    messageId: `m${n >> 2}`,
    measuredAt: new Date(now.getTime() - 60_000),
    receivedAt: now,
    type,
    value,
    unit: VITALS[type].unit,
  };
}

const readings: EngineReading[] = [];
for (let n = 0; readings.length < BATCH; n += 4) {
  const patient = (n >> 2) % Math.max(1, BATCH / 4);
  readings.push(reading(patient, n, 'blood_pressure_systolic', 110 + random() * 60));
  readings.push(reading(patient, n, 'blood_pressure_diastolic', 65 + random() * 35));
  readings.push(reading(patient, n, 'heart_rate', 55 + random() * 60));
  readings.push(reading(patient, n, 'oxygen_saturation', 90 + Math.round(random() * 9)));
}

let findings = 0;
for (let i = 0; i < 200; i++) findings = batchFindings(readings, new Map(), [], now).length;
const started = performance.now();
for (let i = 0; i < ROUNDS; i++) batchFindings(readings, new Map(), [], now);
const ms = performance.now() - started;
const perBatch = ms / ROUNDS;
console.log(
  `evaluation, default rules: ${BATCH} readings per batch, ${findings} findings; ` +
    `${perBatch.toFixed(3)} ms per batch, ${Math.round((BATCH * ROUNDS) / (ms / 1000)).toLocaleString('en')} readings/s`,
);
