import { performance } from 'node:perf_hooks';
import { parseDeviceMessage } from '@homeward/monitoring';

/**
 * Ingest hot-path benchmark: validation and normalisation of device messages (JSON parse,
 * compiled JSON Schema, unit conversion, plausibility). Prints figures; asserts nothing.
 */
const COUNT = Number(process.env.BENCH_MESSAGES ?? 200_000);
const deviceId = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const topic = `v1/devices/${deviceId}/readings`;
const now = new Date();
const payloads = Array.from({ length: 1000 }, (_, i) =>
  Buffer.from(
    JSON.stringify({
      messageId: `bench-${i}`,
      measuredAt: new Date(now.getTime() - i * 1000).toISOString(),
      readings: [
        { type: 'blood_pressure_systolic', value: 120 + (i % 40), unit: 'mm[Hg]' },
        { type: 'blood_pressure_diastolic', value: 80 + (i % 20), unit: 'mm[Hg]' },
        { type: 'heart_rate', value: 60 + (i % 30), unit: '/min' },
      ],
    }),
  ),
);

for (let i = 0; i < 20_000; i++) parseDeviceMessage(topic, payloads[i % payloads.length], now);
const heapBefore = process.memoryUsage().heapUsed;
const start = performance.now();
let accepted = 0;
for (let i = 0; i < COUNT; i++)
  if (parseDeviceMessage(topic, payloads[i % payloads.length], now).ok) accepted++;
const elapsedMs = performance.now() - start;
const heapAfter = process.memoryUsage().heapUsed;

process.stdout.write(
  [
    `parseDeviceMessage: ${COUNT} messages in ${elapsedMs.toFixed(0)} ms`,
    `  ${((elapsedMs * 1000) / COUNT).toFixed(2)} µs per message, ${Math.round(COUNT / (elapsedMs / 1000)).toLocaleString('en')} messages/s on one core`,
    `  accepted ${accepted}/${COUNT}; heap delta ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
  ].join('\n') + '\n',
);
