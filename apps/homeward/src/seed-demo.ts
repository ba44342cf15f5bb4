import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { ConfigModule, loadConfig } from '@homeward/config';
import { LoggerModule, PinoNestLogger, createLogger } from '@homeward/observability';
import { DatabaseModule, RealtimeModule, RedisModule } from '@homeward/platform';
import { DemoSeedService } from './demo/demo-seed.service';
import { DemoModule } from './demo/demo.module';

/** Creates (or resets) the demo organisation and its users with DEMO_PASSWORD. */
async function main(): Promise<void> {
  const password = process.env.DEMO_PASSWORD;
  if (!password || password.length < 8) throw new Error('DEMO_PASSWORD must be set (at least 8 characters)');
  const config = loadConfig('worker');
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'homeward-seed' });

  // The demo's services publish alert changes to sockets, so the seed needs the Redis the
  // socket emitter writes to, as the all-in-one process has (apps/homeward/src/homeward-app.module.ts).
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot(logger),
      DatabaseModule,
      RedisModule,
      RealtimeModule,
      DemoModule,
    ],
  })
  class SeedModule {}

  // abortOnError: false makes a wiring or start-up error reject here, to be printed below,
  // instead of Nest exiting the process with its logger as the only witness.
  const app = await NestFactory.createApplicationContext(SeedModule, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  try {
    await app.get(DemoSeedService).seedUsers(password);
  } finally {
    await app.close();
  }
  process.stdout.write('Demo organisation and users are ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`seed-demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
