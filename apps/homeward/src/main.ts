import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MissedCheckService } from '@homeward/alerting';
import { loadConfig, type AppConfig } from '@homeward/config';
import { EmbeddedBrokerIngest } from '@homeward/monitoring';
import { PinoNestLogger, runProcess, type Logger } from '@homeward/observability';
import { DeviceService } from '@homeward/patients';
import { configureHttpApp, runMigrations, type EmbeddedBroker } from '@homeward/platform';
import { DemoSeedService } from './demo/demo-seed.service';
import { startDemo } from './demo/demo';
import { listenEmbeddedBroker, serveDevices } from './embedded-mqtt';
import { chooseDemoDatabase, type DemoDatabase } from './embedded-postgres';
import { HomewardAppModule } from './homeward-app.module';
import { OutsideNestLifecycle } from './outside-nest.lifecycle';
import { INTERRUPTED_EXIT_CODE, StartupInterrupt, StartupInterrupted } from './startup-interrupt';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    patients: { type: 'string', default: '4' },
    'no-simulator': { type: 'boolean', default: false },
    // Seconds between a simulated device's readings (the simulator's default, 15, when unset).
    'simulator-interval': { type: 'string' },
    'state-dir': { type: 'string', default: '.homeward' },
  },
});

// Armed before anything starts: Ctrl-C during start-up stops at the next step, not in one.
const interrupt = new StartupInterrupt('homeward-all').arm();

function run(database: DemoDatabase | undefined): void {
  const env = { ...process.env, ...database?.env };
  runProcess('all', (environment, logger) => serve(environment, env, database, logger), env);
}

/** Starts everything; on an interrupt during start-up, closes what is open and exits. */
async function serve(
  environment: AppConfig,
  env: NodeJS.ProcessEnv,
  database: DemoDatabase | undefined,
  logger: Logger,
): Promise<void> {
  const started: { app?: NestExpressApplication; broker?: EmbeddedBroker } = {};
  try {
    await start(environment, env, database, logger, started);
  } catch (error) {
    if (!(error instanceof StartupInterrupted) && !interrupt.interrupted) throw error;
    // Nest's close stops the simulator and the broker (the outside hooks' first half); the
    // embedded PostgreSQL is closed here, after the pool, as a signal would have it.
    if (started.app) await started.app.close();
    else await started.broker?.close();
    await database?.embedded?.close();
    process.exit(INTERRUPTED_EXIT_CODE);
  }
}

async function start(
  environment: AppConfig,
  env: NodeJS.ProcessEnv,
  database: DemoDatabase | undefined,
  logger: Logger,
  started: { app?: NestExpressApplication; broker?: EmbeddedBroker },
): Promise<void> {
  interrupt.check();
  if (database)
    logger.info({ database: database.summary, embedded: Boolean(database.embedded) }, 'Demo database chosen');
  const applied = await runMigrations(environment.DATABASE_URL, (message) => logger.debug(message));
  if (applied.length > 0) logger.info({ migrations: applied }, 'Database migrated');
  interrupt.check();

  // Without MQTT_URL the process embeds a broker; where it listens becomes part of the
  // configuration before anything reads it.
  let broker: EmbeddedBroker | undefined;
  let config = environment;
  if (!environment.MQTT_URL) {
    const listening = await listenEmbeddedBroker(environment, logger);
    broker = listening.broker;
    started.broker = broker;
    config = loadConfig('all', { ...env, ...listening.env });
    interrupt.check();
  }
  const outside = new OutsideNestLifecycle();
  const embeddedDatabase = database?.embedded;
  // After the pool is closed: PGlite writes its last changes on close.
  if (embeddedDatabase) outside.stopLast(() => embeddedDatabase.close());
  if (broker) outside.stopFirst(() => broker.close());
  const app = await NestFactory.create<NestExpressApplication>(
    HomewardAppModule.forRoot(config, logger, { embeddedBroker: Boolean(broker), outside }),
    { logger: new PinoNestLogger(logger) },
  );
  started.app = app;
  interrupt.check();
  if (broker) serveDevices(broker, app.get(DeviceService), app.get(EmbeddedBrokerIngest));
  configureHttpApp(app, { shutdownHooks: false });
  await app.listen(config.PORT);
  interrupt.check();
  logger.info(
    { port: config.PORT, mqttUrl: config.MQTT_URL, embeddedBroker: Boolean(broker) },
    'Homeward listening',
  );
  process.stdout.write(
    `\nHomeward is running\n  API and docs: http://localhost:${config.PORT}/api/docs\n  Devices connect to: ${config.MQTT_PUBLIC_URL ?? config.MQTT_URL?.replace('127.0.0.1', 'localhost')}\n` +
      (database ? `  Database: ${database.summary}\n` : ''),
  );

  if (args.demo) {
    const simulator = await startDemo(
      app.get(DemoSeedService),
      {
        patients: Math.max(1, Math.min(6, Number(args.patients) || 4)),
        password: config.DEMO_PASSWORD,
        apiUrl: `http://localhost:${config.PORT}`,
        mqttUrl: config.MQTT_PUBLIC_URL ?? config.MQTT_URL!.replace('127.0.0.1', 'localhost'),
        stateDir: args['state-dir'],
        simulate: !args['no-simulator'],
        stopping: () => interrupt.interrupted,
        simulatorIntervalSeconds: Number(args['simulator-interval']) || undefined,
        checkMissed: (organizationId) => app.get(MissedCheckService).check(organizationId, 'demo-seed'),
      },
      logger,
    );
    if (simulator) outside.stopFirst(() => simulator.kill('SIGTERM'));
  }
  interrupt.handOver(() => app.enableShutdownHooks());
}

// The demo without DATABASE_URL settles its database (perhaps starting an embedded one) before
// the configuration, which requires DATABASE_URL, is read and frozen.
if (args.demo) {
  const note = (line: string) => process.stdout.write(`${line}\n`);
  void chooseDemoDatabase(process.env, args['state-dir'], note).then(run, (error: unknown) => {
    process.stderr.write(`homeward-all: ${(error as Error).message}\n`);
    process.exit(1);
  });
} else {
  run(undefined);
}
