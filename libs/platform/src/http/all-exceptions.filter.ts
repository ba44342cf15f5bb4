import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InjectLogger, redactUrl, type Logger } from '@homeward/observability';
import { TooManyRequestsError } from './errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  code?: string;
  message: string;
}

/**
 * body-parser and Express raise http-errors: `expose` marks a fault of the request (too large,
 * unsupported charset, aborted) whose message is meant for the client.
 */
function clientHttpError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, expose, type } = exception as Error & {
    status?: unknown;
    expose?: unknown;
    type?: unknown;
  };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const code = typeof type === 'string' ? type.replace(/\W+/g, '_') : undefined;
  const message =
    type === 'entity.too.large'
      ? `The request body exceeds the limit of ${String((exception as { limit?: unknown }).limit)} bytes`
      : exception.message;
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message };
}

/**
 * PostgreSQL data exceptions (SQLSTATE class 22: out of range, invalid text representation,
 * untranslatable character, ...). Every value reaches SQL as a parameter, so one means a value
 * from the request that the column or cast cannot hold: the client's fault, not a 500.
 */
function databaseDataException(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { code, severity } = exception as Error & { code?: unknown; severity?: unknown };
  if (typeof severity !== 'string' || typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code))
    return undefined;
  return {
    statusCode: 400,
    error: 'Bad Request',
    code: 'invalid_value',
    message: 'A value in the request is out of range or cannot be stored',
  };
}

/**
 * One error path: HTTP exceptions keep their structured body; faults of the request that
 * surface as library errors are mapped to their 4xx; anything else is a logged 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    // Every error names its request (X-Request-Id), so a user's report finds the log lines.
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const reply = (status: number, body: object): void => {
      http
        .getResponse<Response>()
        .status(status)
        .json({ ...body, requestId });
    };
    if (exception instanceof HttpException) {
      if (exception instanceof TooManyRequestsError) {
        http.getResponse<Response>().setHeader('Retry-After', String(exception.retryAfterSeconds));
      }
      const body = exception.getResponse();
      const status = exception.getStatus();
      reply(status, typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }
    const clientFault = clientHttpError(exception);
    if (clientFault) {
      reply(clientFault.statusCode, clientFault);
      return;
    }
    const dataFault = databaseDataException(exception);
    if (dataFault) {
      // Logged, in case a value computed by the server rather than the request caused it.
      const { code, message } = exception as Error & { code: string };
      this.logger.warn(
        { sqlState: code, reason: message, method: request.method, url: redactUrl(request.originalUrl) },
        'Request refused by a PostgreSQL data exception',
      );
      reply(400, dataFault);
      return;
    }
    this.logger.error(
      { err: exception, method: request.method, url: redactUrl(request.originalUrl) },
      'Unhandled error',
    );
    reply(500, {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Something went wrong; it has been logged',
    });
  }
}
