import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@homeward/testing';
import type { AlertLatencyFigures } from './alert-latency';
import { measureAlertLatency } from './alert-latency';
import { BenchUsageError, USAGE, parseBenchOptions, type BenchOptions, type Section } from './bench-options';
import { measureCeilings, type CeilingFigures } from './ceilings';
import { measureConsoleUnderLoad, type ConsoleLoadFigures } from './console-load';
import { CostMeter } from './cost';
import { parseOpenFilesLimit } from './proc-stats';
import { BenchPlatform } from './platform';
import { measureQueries, type QueryFigures } from './queries';
import { formatReport, machineInfo, writeReport, type BenchReport } from './report';
import { alertRows, ceilingRows, consoleRows, queryRows, throughputRows } from './rows';
import { measureThroughput, settleEvaluation, type ThroughputFigures } from './throughput';

const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Sections that failed for a reason other than a module not merged yet: the run exits 1. */
const failures: string[] = [];

/** Runs one section; a failure is reported as "not measured" with its reason, never hidden. */
async function attempt<T>(name: string, notes: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    notes.push(`${name}: not measured (${reason.split('\n')[0]})`);
    if (reason !== 'not merged yet') failures.push(name);
    log(`${name} failed: ${process.env.BENCH_VERBOSE && error instanceof Error ? error.stack : reason}`);
    return undefined;
  }
}

/** One socket per simulated device lives in this process: fail before starting anything. */
function checkOpenFiles(devices: number): void {
  const limit = parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  if (limit < devices + 1000)
    throw new Error(
      `${devices} devices need more open files than this shell allows (${limit}): raise ulimit -n`,
    );
}

async function main(options: BenchOptions): Promise<BenchReport> {
  checkOpenFiles(Math.max(...options.devices));
  const wants = (section: Section) => options.only.includes(section);
  const startedAt = new Date().toISOString();
  const notes = [
    'DEVICE_MAX_MESSAGES_PER_MINUTE=0 on every process: the per-device budget (600/min by default) is off so load devices are never rate-limited.',
    'Mosquitto: started by libs/testing with docker/mosquitto/conf.d (queue and size limits), anonymous access, persistence as the ingest bench runs it; not the dynamic-security plugin.',
    'Load: the simulator load mode (runLoad), QoS 1, one connection per device, PUBACK-only (ingest holds each PUBACK until the commit).',
    "Cost: per process from /proc (peak RSS = VmHWM over the process life; CPU = utime + stime in the window). PostgreSQL and Redis are the machine's shared servers: their cost is not attributed.",
  ];
  if (options.quick)
    notes.push('--quick: sizes and windows too small to judge the platform; this run checks the harness.');
  const platform = await BenchPlatform.start({
    ingestInstances: options.scaleOut ? 2 : 1,
    apiInstances: options.scaleOut ? 2 : 1,
  });
  const sections: Record<string, unknown> = {};
  let ceilings: CeilingFigures | undefined;
  const throughput: ThroughputFigures[] = [];
  const alerts: AlertLatencyFigures[] = [];
  let consoleLoad: ConsoleLoadFigures | undefined;
  let queries: QueryFigures | undefined;
  const settle = async (before: string) => {
    const pending = await settleEvaluation(platform.database.pool, 60_000);
    if (pending > 0) notes.push(`${before}: started with ${pending} batches still unevaluated after 60 s.`);
  };
  try {
    const labels = platform.processes().map((p) => p.label);
    notes.unshift(`Processes: ${labels.join(', ')}${options.scaleOut ? ' (--scale-out)' : ''}.`);
    log(
      `platform up: ${platform
        .processes()
        .map((p) => `${p.label} (pid ${p.pid})`)
        .join(', ')}`,
    );
    const cost = new CostMeter(() => [...platform.processes(), { label: 'bench (load)', pid: process.pid }]);
    const organization = await platform.createOrganization('Bench');
    const backgroundDevices = options.quick ? 100 : 1000;
    const devices = await platform.provisionDevices(
      organization,
      Math.max(...options.devices, backgroundDevices),
    );
    log(`${devices.length} devices provisioned in SQL`);

    if (wants('ceilings')) {
      log('ceilings');
      ceilings = await attempt('ceilings', notes, () =>
        measureCeilings(platform.env(), { quick: options.quick }),
      );
    }
    if (wants('throughput'))
      for (const count of options.devices) {
        await settle(`ingest throughput, ${count} devices`);
        log(`ingest throughput: ${count} devices at ${options.rate} msg/s asked`);
        const run = await attempt(`ingest throughput, ${count} devices`, notes, () =>
          measureThroughput(
            platform.database.pool,
            devices.slice(0, count),
            {
              ratePerSecond: options.rate,
              warmupSeconds: options.warmupSeconds,
              windowSeconds: options.durationSeconds,
            },
            cost,
          ),
        );
        if (run) throughput.push(run);
      }
    if (wants('alerts') || wants('console')) {
      const coordinators = await Promise.all(
        platform.apiUrls.map((url) => platform.coordinator(organization, url)),
      );
      const background = devices.slice(0, backgroundDevices);
      if (wants('alerts'))
        for (const rate of options.backgrounds) {
          log(`alert latency: ${options.probes} probes under ${rate} msg/s`);
          const probes = await platform.provisionDevices(organization, options.probes, 1);
          await settle(`alert latency, ${rate} msg/s`);
          // The socket sits on the last API instance: with --scale-out the alert crosses the Redis adapter.
          const api = coordinators[coordinators.length - 1];
          const run = await attempt(`alert latency, ${rate} msg/s`, notes, () =>
            measureAlertLatency(
              background,
              probes,
              { apiUrl: api.baseUrl, token: api.accessToken },
              {
                backgroundRate: rate,
                probes: options.probes,
                probeIntervalMs: 100,
                warmupSeconds: options.warmupSeconds,
              },
            ),
          );
          if (run) alerts.push(run);
        }
      if (wants('console')) {
        log(`console API: ${options.consoleSockets} sockets, ${options.quick ? 200 : 1000} msg/s ingest`);
        const rate = options.quick ? 200 : 1000;
        await settle('console API under load');
        consoleLoad = await attempt('console API under load', notes, () =>
          measureConsoleUnderLoad(background, coordinators, devices[0].patientId, {
            sockets: options.consoleSockets,
            backgroundRate: rate,
            windowSeconds: options.durationSeconds,
          }),
        );
        sections.consoleBackgroundRate = rate;
      }
    }
    if (wants('queries')) {
      log('queries');
      queries = await attempt('queries', notes, () =>
        measureQueries(platform.env(), { quick: options.quick }),
      );
    }
  } finally {
    await platform.stop();
  }
  Object.assign(sections, { ceilings, throughput, alerts, console: consoleLoad, queries });
  const rows = [
    ...(wants('ceilings') ? ceilingRows(ceilings) : []),
    ...throughputRows(throughput, ceilings),
    ...alertRows(alerts),
    ...(consoleLoad ? consoleRows(consoleLoad, Number(sections.consoleBackgroundRate)) : []),
    ...(wants('queries') ? queryRows(queries) : []),
  ];
  for (const run of throughput) {
    if (run.messagesPerSecond >= run.targetRate * 0.95)
      notes.push(
        `ingest, ${run.devices} devices: committed all ${run.targetRate} msg/s asked, so the figure is the load, not the platform's limit (ask more with --rate).`,
      );
    if (run.achievedPublishRate < run.targetRate * 0.95)
      notes.push(
        `ingest, ${run.devices} devices: the simulator published ${Math.round(run.achievedPublishRate)} of ${run.targetRate} msg/s asked; the load generator (same machine) or back-pressure held it.`,
      );
    if (run.dropped > 0)
      notes.push(
        `ingest, ${run.devices} devices: ${run.dropped} measurements dropped by full device outboxes (never published, so not counted as lost).`,
      );
    if (run.unsettled > 0)
      notes.push(
        `ingest, ${run.devices} devices: ${run.unsettled} messages left without PUBACK after the drain.`,
      );
  }
  return {
    startedAt,
    machine: machineInfo(),
    options: {
      ...options,
      ingestInstances: options.scaleOut ? 2 : 1,
      apiInstances: options.scaleOut ? 2 : 1,
    },
    rows,
    sections,
    notes,
  };
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof BenchUsageError ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
main(options)
  .then((report) => {
    process.stdout.write(`${formatReport(report)}\n`);
    const path = writeReport(report, join(repoRoot(), 'bench', 'results'));
    process.stdout.write(`\nJSON: ${path}\n`);
    if (failures.length > 0) process.stderr.write(`bench: sections failed: ${failures.join(', ')}\n`);
    process.exit(failures.length > 0 ? 1 : 0);
  })
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
