import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, runProcess } from '@homeward/observability';
import { WorkerAppModule } from './worker-app.module';

runProcess('worker', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.init();
  logger.info('Homeward worker processing jobs');
});
