import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@homeward/config';
import { createLogger } from '@homeward/observability';
import { buildOpenApiDocument } from '@homeward/platform';
import { ApiAppModule } from './api-app.module';

/**
 * Writes the API's OpenAPI document (the same one `/api/docs-json` serves) without a database,
 * Redis or a listening port: Nest's preview mode reads the modules and their routes but creates
 * no provider. The console's types are generated from this file (`npm run build`).
 */
async function main(): Promise<void> {
  const target = process.argv[2] ?? join(__dirname, '..', '..', '..', 'openapi.json');
  // Placeholders that satisfy validation; preview mode never connects to anything.
  const config = loadConfig('api', {
    DATABASE_URL: 'postgres://openapi@localhost/openapi',
    REDIS_URL: 'redis://localhost',
    JWT_SECRET: 'openapi-document-only-never-signs-anything',
  });
  const app = await NestFactory.create<NestExpressApplication>(
    ApiAppModule.forRoot(config, createLogger({ level: 'silent', name: 'openapi' })),
    { preview: true, logger: false, abortOnError: false },
  );
  app.setGlobalPrefix('api');
  const document = buildOpenApiDocument(app);
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  process.stdout.write(`Wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
