import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DemoSeedService, DeviceService } from '@homeward/core';
import { runMigrations } from '@homeward/db';
import { configureHttpApp } from '@homeward/http-api';
import { EmbeddedBrokerIngest } from '@homeward/ingest-consumer';
import type { EmbeddedBroker } from '@homeward/messaging';
import { PinoNestLogger, runProcess } from '@homeward/observability';
import { startDemo } from './demo';
import { startEmbeddedBroker } from './embedded-mqtt';
import { HomewardAppModule } from './homeward-app.module';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    patients: { type: 'string', default: '4' },
    'no-simulator': { type: 'boolean', default: false },
    'state-dir': { type: 'string', default: '.homeward' },
  },
});

runProcess('all', async (config, logger) => {
  const applied = await runMigrations(config.DATABASE_URL, (message) => logger.debug(message));
  if (applied.length > 0) logger.info({ migrations: applied }, 'Database migrated');

  const app = await NestFactory.create<NestExpressApplication>(HomewardAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  let broker: EmbeddedBroker | undefined;
  if (!config.MQTT_URL)
    broker = await startEmbeddedBroker(config, app.get(DeviceService), app.get(EmbeddedBrokerIngest), logger);
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
          password: process.env.DEMO_PASSWORD || undefined,
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
