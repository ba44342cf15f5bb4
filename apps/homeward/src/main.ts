import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
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

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    patients: { type: 'string', default: '4' },
    'no-simulator': { type: 'boolean', default: false },
    'state-dir': { type: 'string', default: '.homeward' },
  },
});

function run(database: DemoDatabase | undefined): void {
  const env = { ...process.env, ...database?.env };
  runProcess('all', (environment, logger) => serve(environment, env, database, logger), env);
}

async function serve(
  environment: AppConfig,
  env: NodeJS.ProcessEnv,
  database: DemoDatabase | undefined,
  logger: Logger,
): Promise<void> {
  if (database)
    logger.info({ database: database.summary, embedded: Boolean(database.embedded) }, 'Demo database chosen');
  const applied = await runMigrations(environment.DATABASE_URL, (message) => logger.debug(message));
  if (applied.length > 0) logger.info({ migrations: applied }, 'Database migrated');

  // Without MQTT_URL the process embeds a broker; where it listens becomes part of the
  // configuration before anything reads it.
  let broker: EmbeddedBroker | undefined;
  let config = environment;
  if (!environment.MQTT_URL) {
    const listening = await listenEmbeddedBroker(environment, logger);
    broker = listening.broker;
    config = loadConfig('all', { ...env, ...listening.env });
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
  if (broker) serveDevices(broker, app.get(DeviceService), app.get(EmbeddedBrokerIngest));
  configureHttpApp(app);
  await app.listen(config.PORT);
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
      },
      logger,
    );
    if (simulator) outside.stopFirst(() => simulator.kill('SIGTERM'));
  }
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
