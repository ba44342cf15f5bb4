import { Global, Inject, Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { redactCredentials } from './redact';

export type { Logger } from 'pino';

/** Injection token of the process's pino logger. */
export const LOGGER = Symbol('LOGGER');
export const InjectLogger = (): ParameterDecorator => Inject(LOGGER);

export function createLogger(options: {
  level: string;
  name: string;
  /** Where lines go (tests); stdout by default. */
  destination?: pino.DestinationStream;
}): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level,
    // Credentials and tokens never reach the logs, whatever object carries them.
    redact: [
      'password',
      'secret',
      'accessToken',
      'refreshToken',
      'token',
      'deviceSecret',
      '*.password',
      '*.secret',
      '*.accessToken',
      '*.refreshToken',
      '*.token',
      '*.deviceSecret',
      'req.headers.authorization',
      'req.headers.cookie',
      'req.headers["proxy-authorization"]',
      'req.headers["x-api-key"]',
      'res.headers["set-cookie"]',
    ],
    // Messages are text, which redact paths cannot reach: a JWT in one is masked here.
    hooks: {
      logMethod(args: unknown[], method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? redactCredentials(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Routes Nest's own log lines into pino, so a process writes one structured stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  /** Nest's own "log" lines are start-up chatter (modules, routes): debug, not info. */
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

@Global()
@Module({})
export class LoggerModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggerModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
