import { NestFactory } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { Database, REDIS } from '@homeward/platform';
import { OpsServer, PinoNestLogger, runProcess } from '@homeward/observability';
import { WorkerAppModule } from './worker-app.module';

runProcess('worker', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.init();
  if (config.OPS_PORT !== undefined) {
    const ops = new OpsServer(
      {
        database: async () => void (await app.get(Database).query('SELECT 1')),
        redis: async () => void (await app.get<Redis>(REDIS).ping()),
      },
      config.HEALTH_CHECK_TIMEOUT_MS,
    );
    const port = await ops.listen(config.OPS_PORT, config.OPS_HOST);
    logger.info({ port, host: config.OPS_HOST }, 'Health and metrics listening');
  }
  logger.info('Homeward worker processing jobs');
});
