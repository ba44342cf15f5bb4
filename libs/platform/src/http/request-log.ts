import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactQuery, redactUrl, type Logger } from '@homeward/observability';
import pinoHttp, { type Options } from 'pino-http';

type RoutedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/** The matched route pattern (`/api/patients/:id`), else the path without its query string. */
export function requestRoute(req: RoutedRequest): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return pattern;
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

/**
 * One line per request: method, route, status, duration and (as a binding) the request id. With
 * pino-http's defaults every line carried the whole request and response with their headers, which
 * pino-pretty spreads over about 50 lines (issue 19); those details now appear at debug only.
 * Authorization and cookies are redacted at every level (libs/observability/src/logger.ts), and
 * credential query parameters in the URL (libs/observability/src/redact.ts).
 */
export function requestLogger(logger: Logger, genReqId: NonNullable<Options['genReqId']>) {
  const details = logger.isLevelEnabled('debug');
  const line = (req: RoutedRequest, res: ServerResponse, durationMs: number) => ({
    method: req.method,
    route: requestRoute(req),
    status: res.statusCode,
    durationMs,
    ...(details ? { req, res } : {}),
  });
  return pinoHttp({
    logger,
    genReqId,
    // Without these, req.log and the completion line bind the full request and response.
    quietReqLogger: true,
    quietResLogger: true,
    customSuccessObject: (req, res, value: { responseTime: number }) => line(req, res, value.responseTime),
    // The exception filter logs the error itself; this line only records the request.
    customErrorObject: (req, res, _error, value: { responseTime: number }) =>
      line(req, res, value.responseTime),
    customSuccessMessage: (req, res, durationMs) =>
      `${req.method} ${requestRoute(req)} ${res.statusCode} ${durationMs}ms`,
    customErrorMessage: (req, res) => `${req.method} ${requestRoute(req)} ${res.statusCode}`,
    // At debug the request's URL and query carry whatever the client sent: an `access_token`,
    // an invitation or visit code. Their values are replaced before the line is written.
    serializers: {
      req: (req: { url?: string; query?: unknown }) => ({
        ...req,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        query: redactQuery(req.query),
      }),
    },
    autoLogging: { ignore: (req) => Boolean(req.url?.startsWith('/api/health')) },
  });
}
