import { PassThrough } from 'node:stream';
import { createLogger, streamWriter } from './logger';

describe('createLogger', () => {
  it('writes one pino-shaped JSON line per event, with bindings and fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ minLevel: 'info', write: (l) => lines.push(l), now: () => 1234 }).child({
      deviceId: 'bp-1',
    });
    logger.info('reading acknowledged', { messageId: 'bp-1-1-x', latencyMs: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 30,
      time: 1234,
      name: 'devices-simulator',
      deviceId: 'bp-1',
      messageId: 'bp-1-1-x',
      latencyMs: 3,
      msg: 'reading acknowledged',
    });
  });

  it('keeps only warnings and errors in quiet mode', () => {
    const lines: string[] = [];
    const logger = createLogger({ minLevel: 'warn', write: (l) => lines.push(l) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['w', 'e']);
  });

  it('serialises errors and never lets fields replace level, time or name', () => {
    const lines: string[] = [];
    const logger = createLogger({ minLevel: 'info', write: (l) => lines.push(l), now: () => 1 });
    logger.warn('mqtt error', { err: new Error('read ECONNRESET'), name: 'x', level: 99 });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 40,
      time: 1,
      name: 'devices-simulator',
      err: { type: 'Error', message: 'read ECONNRESET' },
    });
  });
});

describe('streamWriter', () => {
  const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

  it('drops later lines and reports once, without crashing, when the reader has gone (EPIPE)', () => {
    const stream = new PassThrough();
    const write = jest.spyOn(stream, 'write');
    const onClosed = jest.fn();
    const logger = createLogger({ minLevel: 'info', write: streamWriter(stream, onClosed) });
    logger.info('simulator started');
    stream.emit('error', epipe());
    stream.emit('error', epipe());
    logger.info('reading acknowledged');
    expect(onClosed).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('still raises errors other than a closed reader', () => {
    const stream = new PassThrough();
    streamWriter(stream, () => undefined);
    expect(() => stream.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow(
      'disk full',
    );
  });
});
