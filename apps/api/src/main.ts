import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp } from '@homeward/platform';
import { PinoNestLogger, runProcess } from '@homeward/observability';
import { ApiAppModule } from './api-app.module';

runProcess('api', async (config, logger) => {
  const app = await NestFactory.create<NestExpressApplication>(ApiAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApp(app);
  await app.listen(config.PORT);
  logger.info({ port: config.PORT }, 'Homeward API listening');
});
