import { NestFactory } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { MqttIngestRunner } from '@homeward/monitoring';
import { Database, REDIS } from '@homeward/platform';
import { OpsServer, PinoNestLogger, assertIngestNotStuck, runProcess } from '@homeward/observability';
import { IngestAppModule } from './ingest-app.module';

runProcess('ingest', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(IngestAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.init();
  if (config.OPS_PORT !== undefined) {
    const runner = app.get(MqttIngestRunner);
    const ops = new OpsServer(
      {
        database: async () => void (await app.get(Database).query('SELECT 1')),
        redis: async () => void (await app.get<Redis>(REDIS).ping()),
        mqtt: () => {
          if (!runner.connected) throw new Error('not connected to the broker');
        },
        ingest: () => assertIngestNotStuck(config.INGEST_STUCK_AFTER_MS),
      },
      config.HEALTH_CHECK_TIMEOUT_MS,
    );
    const port = await ops.listen(config.OPS_PORT, config.OPS_HOST);
    logger.info({ port, host: config.OPS_HOST }, 'Health and metrics listening');
  }
  logger.info(
    { clientId: config.MQTT_CLIENT_ID, shareGroup: config.MQTT_SHARE_GROUP || null },
    'Homeward ingest consuming',
  );
});
