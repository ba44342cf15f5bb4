import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { repoRoot } from '@homeward/testing';
import type { AlertLatencyFigures } from './alert-latency';
import { measureAlertLatency } from './alert-latency';
import { BenchUsageError, USAGE, parseBenchOptions, type BenchOptions, type Section } from './bench-options';
import { measureBrokerPersistence } from './broker-persistence';
import { brokerPersistenceRows, type BrokerPersistenceFigures } from './broker-persistence-rows';
import { measureCeilings, type CeilingFigures } from './ceilings';
import { measureConsoleUnderLoad, type ConsoleLoadFigures } from './console-load';
import { CostMeter } from './cost';
import { parseOpenFilesLimit } from './proc-stats';
import { BenchPlatform } from './platform';
import { measureQueries, type QueryFigures } from './queries';
import {
  formatReport,
  formatTable,
  machineInfo,
  writeReport,
  type BenchReport,
  type ReportRow,
} from './report';
import { alertRows, ceilingRows, consoleRows, queryRows, throughputNotes, throughputRows } from './rows';
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

/** Where the JSON report of this run goes; set once the first section has finished. */
let reportPath: string | undefined;

async function main(options: BenchOptions): Promise<BenchReport> {
  checkOpenFiles(Math.max(...options.devices));
  const wants = (section: Section) => options.only.includes(section);
  const startedAt = new Date().toISOString();
  const notes = [
    'DEVICE_MAX_MESSAGES_PER_MINUTE=0 on every process: the per-device budget (600/min by default) is off so load devices are never rate-limited.',
    'Mosquitto: started by libs/testing with docker/mosquitto/conf.d (queue and size limits), anonymous access, persistence as deployed (docker/mosquitto: a save every 10 s); not the dynamic-security plugin.',
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
  let broker: BrokerPersistenceFigures[] | undefined;
  const rows: ReportRow[] = [];
  const report = (complete: boolean): BenchReport => ({
    startedAt,
    complete,
    machine: machineInfo(),
    options: {
      ...options,
      ingestInstances: options.scaleOut ? 2 : 1,
      apiInstances: options.scaleOut ? 2 : 1,
    },
    rows,
    sections: { ...sections, ceilings, throughput, alerts, console: consoleLoad, queries, broker },
    notes,
  });
  // A full run lasts tens of minutes: each section's rows are printed and saved when it ends, so a
  // crash or an out-of-memory kill late in the run keeps what was measured before it.
  const finished = (sectionRows: ReportRow[]) => {
    rows.push(...sectionRows);
    if (sectionRows.length > 0) process.stderr.write(`${formatTable(sectionRows)}\n`);
    const first = reportPath === undefined;
    reportPath = writeReport(report(false), join(repoRoot(), 'bench', 'results'));
    if (first) log(`results so far: ${reportPath}`);
  };
  // A server with autovacuum off (this machine's CI configuration) never analyses what a load
  // wrote: the readings table keeps no statistics, and the worker then reads a 10-reading batch
  // with a parallel plan sized for 20,000 rows (10 ms instead of 1). Production runs autovacuum,
  // whose auto-analyze would have run after such a load: the harness does it in its place.
  const autovacuumOff = await isAutovacuumOff(platform.database.pool);
  if (autovacuumOff)
    notes.push(
      'PostgreSQL runs with autovacuum off here: the harness analyses the platform database before each section, as auto-analyze would after each load.',
    );
  const settle = async (before: string) => {
    const pending = await settleEvaluation(platform.database.pool, 60_000);
    if (pending > 0) notes.push(`${before}: started with ${pending} batches still unevaluated after 60 s.`);
    if (autovacuumOff) await platform.database.pool.query('ANALYZE');
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
      finished(ceilingRows(ceilings));
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
        if (run) {
          throughput.push(run);
          notes.push(...throughputNotes(run));
        }
        finished(run ? throughputRows([run], ceilings, throughput[0]) : []);
      }
    if (wants('alerts') || wants('console')) {
      // One coordinator per API instance for alert latency; the console section signs in its own.
      const coordinators = await platform.coordinators(organization, platform.apiUrls.length);
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
          finished(run ? alertRows([run]) : []);
        }
      if (wants('console')) {
        const rate = options.quick ? 200 : 1000;
        log(`console API: ${options.consoleSockets} coordinators and sockets, ${rate} msg/s ingest`);
        await settle('console API under load');
        consoleLoad = await attempt('console API under load', notes, async () => {
          const signingIn = performance.now();
          const users = await platform.coordinators(organization, options.consoleSockets);
          const seconds = (performance.now() - signingIn) / 1000;
          notes.push(
            `console API: ${users.length} coordinators created (one shared low-cost argon2id hash) and signed in through POST /api/auth/login over ${platform.apiUrls.length} API instance(s) in ${seconds.toFixed(1)} s (LOGIN_RATE_LIMIT raised: every login comes from 127.0.0.1), one per socket; the alert queue and chart are requested as each in turn.`,
          );
          return measureConsoleUnderLoad(background, users, devices[0].patientId, {
            sockets: options.consoleSockets,
            backgroundRate: rate,
            windowSeconds: options.durationSeconds,
          });
        });
        sections.consoleBackgroundRate = rate;
        finished(consoleLoad ? consoleRows(consoleLoad, rate) : []);
      }
    }
    if (wants('queries')) {
      log('queries');
      queries = await attempt('queries', notes, () =>
        measureQueries(platform.env(), { quick: options.quick }),
      );
      finished(queryRows(queries));
    }
    // Last: it starts a Mosquitto of its own per candidate, none of them the platform's.
    if (wants('broker')) {
      log('broker persistence');
      broker = await attempt('broker persistence', notes, () =>
        measureBrokerPersistence({ quick: options.quick }),
      );
      finished(broker ? brokerPersistenceRows(broker) : []);
    }
  } finally {
    await platform.stop();
  }
  return report(true);
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
    if (reportPath) process.stderr.write(`bench: what was measured before is in ${reportPath}\n`);
    process.exit(1);
  });

async function isAutovacuumOff(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ autovacuum: string }>('SHOW autovacuum');
  return rows[0]?.autovacuum === 'off';
}
