import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw, type NextFunction, type Request, type Response } from 'express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { AppConfig, trustProxySetting } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import { REDIS } from '../jobs/redis.module';
import { RedisIoAdapter } from '../realtime/redis-io.adapter';
import { requestLogger } from './request-log';
import { consoleSecurityHeaders, isConsolePath, liveKitConnectSources, serveConsole } from './serve-console';
import { NestingDepthPipe } from './nesting-depth.pipe';
import { StorableTextPipe } from './storable-text.pipe';

const DOCS_PATH = 'api/docs';

/**
 * Routes whose sender signs the exact body bytes (LiveKit's webhook: a JWT carrying the body's
 * sha256, https://docs.livekit.io/home/server/webhooks/): their body stays a Buffer, whatever its
 * content type, for the route to verify before parsing.
 */
const RAW_BODY_PATHS = ['/api/livekit/webhook'];

/** Swagger UI, its assets and the OpenAPI document (`/api/docs-json`, `/api/docs-yaml`). */
function isDocsPath(path: string): boolean {
  return path === `/${DOCS_PATH}` || path.startsWith(`/${DOCS_PATH}/`) || path.startsWith(`/${DOCS_PATH}-`);
}

/**
 * The OpenAPI document of the app's routes (served at `/api/docs-json`, and written by
 * `scripts/write-openapi.ts` for the console's generated types). Expects the `api` prefix set.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Homeward API')
      .setDescription(
        'Remote patient monitoring and care coordination. Authenticate with POST /api/auth/login.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/** Everything an HTTP process sets up around the module: prefix, security, validation, docs, sockets. */
/**
 * `shutdownHooks: false` leaves signals to the caller until it enables Nest's hooks itself
 * (the all-in-one process does, once its start-up is done).
 */
export function configureHttpApp(
  app: NestExpressApplication,
  options: { shutdownHooks?: boolean } = {},
): INestApplication {
  const config = app.get(AppConfig);
  const logger = app.get<Logger>(LOGGER);
  app.setGlobalPrefix('api');
  // The client address (login throttling, logs) comes from X-Forwarded-For only through trusted proxies.
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  // Swagger UI is often opened over plain HTTP from another host (a LAN demo); there
  // `upgrade-insecure-requests` would send its own script and styles to https and leave the page
  // blank. Only the docs routes drop that directive; every other response keeps helmet's defaults.
  const apiHeaders = helmet();
  const docsHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const consoleHeaders = consoleSecurityHeaders(liveKitConnectSources(config.LIVEKIT_URL));
  app.use((req: Request, res: Response, next: NextFunction) =>
    (isDocsPath(req.path) ? docsHeaders : isConsolePath(req.path) ? consoleHeaders : apiHeaders)(
      req,
      res,
      next,
    ),
  );
  app.use(RAW_BODY_PATHS, raw({ type: () => true, limit: '64kb' }));
  app.useBodyParser('json', { limit: '64kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: true });
  app.use(
    requestLogger(logger.child({ component: 'http' }), (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    }),
  );
  app.useGlobalPipes(
    new NestingDepthPipe(),
    new StorableTextPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useWebSocketAdapter(
    new RedisIoAdapter(app, app.get<Redis>(REDIS), config.REDIS_PREFIX, config.SOCKET_MAX_MESSAGE_BYTES),
  );
  if (options.shutdownHooks !== false) app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
  serveConsole(app, config.CONSOLE_DIR, logger);
  return app;
}
