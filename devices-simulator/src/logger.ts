import { hostname } from 'node:os';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** pino's numeric levels, so `| npx pino-pretty` formats the output. */
const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  minLevel: LogLevel;
  write?: (line: string) => void;
  now?: () => number;
}

function serialise(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message };
  return value;
}

/**
 * Writes lines to a stream such as stdout. When its reader goes away (`| head` exits: EPIPE), the
 * following lines are dropped and `onClosed` runs once, instead of an unhandled 'error' event
 * crashing the process; any other error still does.
 */
export function streamWriter(stream: NodeJS.WritableStream, onClosed: () => void): (line: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (!open) return;
    open = false;
    onClosed();
  });
  return (line) => {
    if (open) stream.write(`${line}\n`);
  };
}

/** One JSON object per line on stdout, pino-shaped: {level, time, pid, hostname, name, msg, ...fields}. */
export function createLogger(options: LoggerOptions, bindings: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const min = LEVEL_VALUES[options.minLevel];
  const base = { pid: process.pid, hostname: hostname(), name: 'devices-simulator' };
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVEL_VALUES[level] < min) return;
    const core = { level: LEVEL_VALUES[level], time: now(), ...base };
    // Fields never overwrite the pino keys, so log processors can rely on them.
    write(JSON.stringify({ ...core, ...bindings, ...fields, ...core, msg }, serialise));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger(options, { ...bindings, ...fields }),
  };
}
