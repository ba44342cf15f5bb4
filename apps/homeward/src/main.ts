import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@homeward/config';
import { EmbeddedBrokerIngest } from '@homeward/monitoring';
import { PinoNestLogger, runProcess } from '@homeward/observability';
import { DeviceService } from '@homeward/patients';
import { configureHttpApp, runMigrations, type EmbeddedBroker } from '@homeward/platform';
import { DemoSeedService } from './demo/demo-seed.service';
import { startDemo } from './demo/demo';
import { listenEmbeddedBroker, serveDevices } from './embedded-mqtt';
import { HomewardAppModule } from './homeward-app.module';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    patients: { type: 'string', default: '4' },
    'no-simulator': { type: 'boolean', default: false },
    'state-dir': { type: 'string', default: '.homeward' },
  },
});

runProcess('all', async (environment, logger) => {
  const applied = await runMigrations(environment.DATABASE_URL, (message) => logger.debug(message));
  if (applied.length > 0) logger.info({ migrations: applied }, 'Database migrated');

  // Without MQTT_URL the process embeds a broker; where it listens becomes part of the
  // configuration before anything reads it.
  let broker: EmbeddedBroker | undefined;
  let config = environment;
  if (!environment.MQTT_URL) {
    const listening = await listenEmbeddedBroker(environment, logger);
    broker = listening.broker;
    config = loadConfig('all', { ...process.env, ...listening.env });
  }
  const app = await NestFactory.create<NestExpressApplication>(
    HomewardAppModule.forRoot(config, logger, { embeddedBroker: Boolean(broker) }),
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
    `\nHomeward is running\n  API and docs: http://localhost:${config.PORT}/api/docs\n  Devices connect to: ${config.MQTT_PUBLIC_URL ?? config.MQTT_URL?.replace('127.0.0.1', 'localhost')}\n`,
  );

  const simulator = args.demo
    ? await startDemo(
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
      )
    : undefined;

  const shutdown = async () => {
    simulator?.kill('SIGTERM');
    await app.close();
    await broker?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
});
