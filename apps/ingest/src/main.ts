import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, runProcess } from '@homeward/observability';
import { IngestAppModule } from './ingest-app.module';

runProcess('ingest', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(IngestAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.init();
  logger.info(
    { clientId: config.MQTT_CLIENT_ID, shareGroup: config.MQTT_SHARE_GROUP || null },
    'Homeward ingest consuming',
  );
});
