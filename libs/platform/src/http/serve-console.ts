import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from '@homeward/observability';

/** dist/console beside this file's build (dist/libs/platform/src/http). */
const DEFAULT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

/** Paths the console never owns: the API (and its docs) and socket.io's handshake. */
export function isConsolePath(path: string): boolean {
  return !(path === '/api' || path.startsWith('/api/') || path.startsWith('/socket.io'));
}

/**
 * Where the console may connect beyond its own origin for LiveKit (LIVEKIT_URL): the signalling
 * WebSocket (`/rtc`) and the HTTP request livekit-client sends to `/rtc/validate` when it fails.
 */
export function liveKitConnectSources(liveKitUrl: string | undefined): string[] {
  if (!liveKitUrl) return [];
  const { protocol, host } = new URL(liveKitUrl);
  const secure = protocol === 'wss:' || protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${host}`, `${secure ? 'https' : 'http'}://${host}`];
}

/**
 * What the console needs and nothing more: its own scripts and styles (Vite emits no inline
 * script), its own API and sockets (CSP Level 3 'self' covers ws: and wss: to the same host) and
 * LiveKit's server for video visits, no frames, no plugins. React sets style attributes through
 * the CSSOM, which style-src allows.
 */
export function consoleSecurityHeaders(connectSources: readonly string[] = []) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...connectSources],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}

/** The encodings the console's build writes beside each asset, the smallest first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts `encoding` (q=0 refuses it). */
export function acceptsEncoding(header: string | undefined, encoding: string): boolean {
  return (header ?? '').split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name.trim() !== encoding && name.trim() !== '*') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Sends an asset's precompressed twin (`name.br`, `name.gz`, written by the console's build) when
 * the browser accepts it, with the original's content type; `Vary: Accept-Encoding` on every
 * answer for such an asset so shared caches keep the variants apart. Source maps are never served.
 */
function precompressedAssets(assetsDir: string) {
  const files = new Set(existsSync(assetsDir) ? readdirSync(assetsDir) : []);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (name.endsWith('.map')) return res.status(404).type('text').send('Not found');
    if (!files.has(name)) return next();
    const accept = req.headers['accept-encoding'];
    const variants = ENCODINGS.filter((encoding) => files.has(name + encoding.suffix));
    if (variants.length === 0) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    const chosen = variants.find((encoding) => acceptsEncoding(accept, encoding.name));
    if (!chosen) return next();
    res.setHeader('Content-Encoding', chosen.name);
    res.type(extname(name));
    res.sendFile(join(assetsDir, name + chosen.suffix), { maxAge: '365d', immutable: true }, (error) => {
      if (error) next(error);
    });
  };
}

/**
 * Serves the built console at `/`: hashed files under /assets/ cached for a year as immutable,
 * index.html never cached (a new build reaches browsers at once), and every other GET outside
 * /api answered with index.html so the console's own router handles deep links.
 */
export function serveConsole(
  app: NestExpressApplication,
  directory: string | undefined,
  logger: Logger,
): void {
  const root = directory ? resolve(directory) : DEFAULT_CONSOLE_DIR;
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) {
    logger.warn({ consoleDir: root }, 'The console is not built (run npm run build); serving the API only');
    return;
  }
  const indexHtml = readFileSync(indexPath);
  app.use('/assets', precompressedAssets(join(root, 'assets')));
  app.useStaticAssets(join(root, 'assets'), {
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isConsolePath(req.path)) return next();
    // A hashed file that is not there (an old build's) is a 404, never index.html.
    if (req.path.startsWith('/assets/')) return res.status(404).type('text').send('Not found');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(indexHtml);
  });
  logger.info({ consoleDir: root }, 'Serving the console at /');
}
