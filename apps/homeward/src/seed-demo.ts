import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { ConfigModule, loadConfig } from '@homeward/config';
import { LoggerModule, createLogger } from '@homeward/observability';
import { DatabaseModule } from '@homeward/platform';
import { DemoSeedService } from './demo/demo-seed.service';
import { DemoModule } from './demo/demo.module';

/** Creates (or resets) the demo organisation and its users with DEMO_PASSWORD. */
async function main(): Promise<void> {
  const password = process.env.DEMO_PASSWORD;
  if (!password || password.length < 8) throw new Error('DEMO_PASSWORD must be set (at least 8 characters)');
  const config = loadConfig('worker');
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'homeward-seed' });

  @Module({
    imports: [ConfigModule.forRoot(config), LoggerModule.forRoot(logger), DatabaseModule, DemoModule],
  })
  class SeedModule {}

  const app = await NestFactory.createApplicationContext(SeedModule, { logger: false });
  await app.get(DemoSeedService).seedUsers(password);
  await app.close();
  process.stdout.write('Demo organisation and users are ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`seed-demo: ${(error as Error).message}\n`);
  process.exit(1);
});
