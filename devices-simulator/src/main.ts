import { readFile } from 'node:fs/promises';
import { provisionDevices } from './api-client';
import { CliUsageError, USAGE, parseCommandLine, type SimulatorOptions } from './cli-options';
import { parseDevicesFile, resolveBrokerUrls, type DevicesFile } from './devices-file';
import { DeliveryStats, formatSummary } from './delivery-stats';
import { buildFleet } from './fleet';
import { runLoad } from './load-driver';
import { createLogger, streamWriter, type Logger } from './logger';
import { assignScenarios, type ScenarioEffect } from './scenarios';
import type { SimulatedDevice } from './simulated-device';

/** Aborted when stdout's reader has gone (e.g. `| head` exited): the simulator then stops as on SIGTERM. */
const outputClosed = new AbortController();
const writeLine = streamWriter(process.stdout, () => outputClosed.abort());

async function loadDevices(options: SimulatorOptions, logger: Logger): Promise<DevicesFile> {
  const { source } = options;
  switch (source.kind) {
    case 'file': {
      const text = await readFile(source.path, 'utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error: unknown) {
        throw new Error(
          `${source.path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return parseDevicesFile(json);
    }
    case 'api':
      logger.info('provisioning patients and devices', { api: source.baseUrl, patients: source.patients });
      return provisionDevices({
        baseUrl: source.baseUrl,
        email: source.email,
        password: source.password,
        patients: source.patients,
        kinds: source.kinds,
        nameSeed: `${options.seed}|${Date.now()}`,
        onPatient: (patient, devices) =>
          logger.info('patient provisioned', {
            patientId: patient.id,
            patientName: `${patient.givenName} ${patient.familyName}`,
            devices: devices.map((d) => ({ id: d.id, kind: d.kind })),
          }),
      });
  }
}

type StopReason = 'count' | 'duration' | 'SIGINT' | 'SIGTERM' | 'output closed' | 'parent gone';

function waitForStop(options: SimulatorOptions, devices: readonly SimulatedDevice[]): Promise<StopReason> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let stopping = false;
    const finish = (reason: StopReason): void => {
      if (stopping) return;
      stopping = true;
      timers.forEach(clearTimeout);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
      // A second signal while draining means "now".
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(reason);
    };
    const onSigint = (): void => finish('SIGINT');
    const onSigterm = (): void => finish('SIGTERM');
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    // Started by another process over IPC (the demo): when that process dies, even by SIGKILL,
    // the channel closes and the simulator stops instead of publishing on as an orphan.
    if (process.send) process.once('disconnect', () => finish('parent gone'));
    if (outputClosed.signal.aborted) finish('output closed');
    outputClosed.signal.addEventListener('abort', () => finish('output closed'), { once: true });
    if (options.durationSeconds !== undefined) {
      timers.push(setTimeout(() => finish('duration'), options.durationSeconds * 1000));
    }
    if (options.count !== undefined) {
      void Promise.all(devices.map((d) => d.done)).then(() => finish('count'));
    }
  });
}

function fleetBehaviour(options: SimulatorOptions) {
  return {
    seed: options.seed,
    conditions: options.conditions,
    receiptTimeoutMs:
      options.receiptTimeoutSeconds === undefined ? undefined : options.receiptTimeoutSeconds * 1000,
    ble: options.ble,
    malformedFraction: options.malformedFraction,
    malformedKinds: options.malformedKinds,
    statusIntervalMs:
      options.statusIntervalSeconds === undefined ? undefined : options.statusIntervalSeconds * 1000,
    hub: options.hubOutage && {
      onlineMs: options.hubOutage.onlineSeconds * 1000,
      offlineMs: options.hubOutage.offlineSeconds * 1000,
    },
    logReceipts: options.logReceipts,
  };
}

async function runLoadMode(
  options: SimulatorOptions,
  load: NonNullable<SimulatorOptions['load']>,
  logger: Logger,
): Promise<number> {
  const all = resolveBrokerUrls(await loadDevices(options, logger), options.mqttUrl);
  const wanted = load.devices ?? all.length;
  if (all.length < wanted) throw new Error(`--devices ${wanted}: only ${all.length} devices available`);
  const devices = all.slice(0, wanted);
  logger.info('simulator started', {
    mode: 'load',
    devices: devices.length,
    ratePerSecond: load.ratePerSecond,
  });
  // A signal (or stdout closing) ends the paced window early; the drain and summary still run.
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  outputClosed.signal.addEventListener('abort', onSignal, { once: true });
  const summary = await runLoad({
    ...fleetBehaviour(options),
    devices,
    ratePerSecond: load.ratePerSecond,
    durationSeconds: options.durationSeconds ?? 0,
    drainTimeoutMs: options.drainTimeoutSeconds * 1000,
    // A line per message would cost more than the load itself: devices log warnings only.
    logger: createLogger({ minLevel: options.logReceipts ? 'debug' : 'warn', write: writeLine }),
    signal: stop.signal,
    progressEveryMs: options.reportEverySeconds * 1000,
    onProgress:
      options.reportEverySeconds > 0
        ? (p) =>
            logger.info('progress', {
              elapsedMs: p.elapsedMs,
              published: p.published,
              acked: p.acked,
              receipts: p.receipts,
              rejectedByReason: p.rejectedByReason,
            })
        : undefined,
  });
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  if (!options.json) writeLine(formatSummary(summary, summary.receiptsAwaited));
  writeLine(JSON.stringify(summary));
  return summary.unsettled > 0 ? 1 : 0;
}

async function run(options: SimulatorOptions): Promise<number> {
  const logger = createLogger({
    minLevel: options.quiet ? 'warn' : options.logReceipts ? 'debug' : 'info',
    write: writeLine,
  });
  if (options.load) return runLoadMode(options, options.load, logger);
  const devices = resolveBrokerUrls(await loadDevices(options, logger), options.mqttUrl);
  const startedAt = new Date();

  const effects = new Map<string, ScenarioEffect[]>();
  for (const assignment of assignScenarios(options.scenarios, devices)) {
    if (assignment.deviceId === undefined) {
      logger.warn('scenario has no device to act on', { scenario: assignment.scenario });
      continue;
    }
    effects.set(assignment.deviceId, [...(effects.get(assignment.deviceId) ?? []), ...assignment.effects]);
    logger.info('scenario assigned', {
      scenario: assignment.scenario,
      deviceId: assignment.deviceId,
      patientId: assignment.patientId,
    });
  }

  const stats = new DeliveryStats();
  const simulated = buildFleet(devices, {
    ...fleetBehaviour(options),
    startedAt,
    logger,
    stats,
    intervalMs: options.intervalSeconds * 1000,
    count: options.count,
    effects,
  });
  const receiptsOn = options.receiptTimeoutSeconds !== undefined;

  logger.info('simulator started', {
    devices: simulated.length,
    patients: new Set(devices.map((d) => d.patientId)).size,
    seed: options.seed,
    intervalSeconds: options.intervalSeconds,
    scenarios: options.scenarios,
    conditions: options.conditions,
    receipts: receiptsOn,
    ble: options.ble,
    malformed: options.malformedFraction,
    count: options.count,
    durationSeconds: options.durationSeconds,
  });
  simulated.forEach((device) => device.start());
  const progress =
    options.reportEverySeconds > 0
      ? setInterval(() => {
          const s = stats.summary();
          logger.info('progress', {
            sent: s.sent,
            acked: s.acked,
            receipts: s.receipts,
            rejectedByReason: s.rejectedByReason,
            pending: simulated.reduce((n, d) => n + d.pending, 0),
          });
        }, options.reportEverySeconds * 1000)
      : undefined;

  // A platform without receipts (main, until they land) would see every message republished,
  // with growing waits: say so once, rather than let the user wonder.
  const receiptCheck = receiptsOn
    ? setTimeout(
        () => {
          const s = stats.summary();
          if (s.acked > 0 && s.receipts.stored + s.receipts.duplicate + s.receipts.rejected === 0) {
            logger.warn('no receipts received yet; if the platform sends none, run with --no-receipts', {
              acked: s.acked,
            });
          }
        },
        2 * (options.receiptTimeoutSeconds ?? 0) * 1000,
      )
    : undefined;

  const reason = await waitForStop(options, simulated);
  clearInterval(progress);
  clearTimeout(receiptCheck);
  logger.info('simulator stopping', { reason });
  const summaries = await Promise.all(
    simulated.map((device) => device.stop(options.drainTimeoutSeconds * 1000)),
  );
  const summary = { mode: 'run', reason, ...stats.summary() };
  if (options.json) writeLine(JSON.stringify(summary));
  else writeLine(formatSummary(summary, receiptsOn));
  const totals = {
    measured: summaries.reduce((n, s) => n + s.measured, 0),
    acknowledged: summaries.reduce((n, s) => n + s.acknowledged, 0),
    republished: summaries.reduce((n, s) => n + s.republished, 0),
  };
  const lost = summaries.filter((s) => s.unacknowledged.length > 0);
  if (lost.length > 0) {
    logger.warn(receiptsOn ? 'messages left without a receipt' : 'messages left unacknowledged', {
      ...totals,
      devices: lost.map((s) => ({ deviceId: s.deviceId, messageIds: s.unacknowledged })),
    });
    return 1;
  }
  logger.info('simulator stopped', { reason, ...totals });
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, process.env);
  } catch (error: unknown) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  return run(command);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; this only guards against a stray handle keeping us alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    const err =
      error instanceof Error ? { type: error.name, message: error.message } : { message: String(error) };
    writeLine(
      JSON.stringify({
        level: 60,
        time: Date.now(),
        name: 'devices-simulator',
        msg: 'simulator failed',
        err,
      }),
    );
    process.exit(1);
  },
);
