import { Writable } from 'node:stream';
import type { ArgumentsHost } from '@nestjs/common';
import { Client } from 'pg';
import pino from 'pino';
import { TEST_POSTGRES_URL } from '@homeward/testing';
import { AllExceptionsFilter } from './all-exceptions.filter';

/** What the client receives, and what the log shows, when the filter handles `exception`. */
function handle(exception: unknown): { status: number; body: unknown; log: string } {
  let log = '';
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    }),
  );
  const reply = { status: 0, body: undefined as unknown };
  const response = {
    status(code: number) {
      reply.status = code;
      return response;
    },
    json(body: unknown) {
      reply.body = body;
    },
  };
  const request = { method: 'GET', originalUrl: '/api/patients?offset=1e20' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter(logger).catch(exception, host);
  return { ...reply, log };
}

describe('AllExceptionsFilter with real PostgreSQL errors', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query('CREATE TEMPORARY TABLE not_null_probe (x int NOT NULL)');
  });

  afterAll(async () => {
    await client.end();
  });

  const errorOf = async (sql: string, values: unknown[]): Promise<unknown> => {
    try {
      await client.query(sql, values);
    } catch (error) {
      return error;
    }
    throw new Error(`${sql} did not fail`);
  };

  it('answers 400 for PostgreSQL data exceptions from input, and keeps other errors a logged 500 with a generic body', async () => {
    const dataExceptions: Array<[string, unknown[]]> = [
      ['SELECT $1::bigint', ['100000000000000000000']], // 22003 numeric value out of range
      ['SELECT $1::int', ['1e21']], // 22P02 invalid text representation
      ['SELECT $1::text', ['a\u0000b']], // 22021 NUL, invalid byte sequence
      ['SELECT $1::timestamptz', ['2026-02-30T00:00:00Z']], // 22008 datetime field overflow
    ];
    for (const [sql, values] of dataExceptions) {
      const { status, body, log } = handle(await errorOf(sql, values));
      expect({ sql, status }).toEqual({ sql, status: 400 });
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_value',
        message: 'A value in the request is out of range or cannot be stored',
      });
      expect(log).toContain('"level":40');
      expect(log).not.toContain('Unhandled error');
    }

    for (const error of [
      await errorOf('SELECT * FROM no_such_table_here', []), // 42P01
      await errorOf('INSERT INTO not_null_probe VALUES ($1)', [null]), // 23502
      new Error('boom'),
    ]) {
      const { status, body, log } = handle(error);
      expect(status).toBe(500);
      expect(body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Something went wrong; it has been logged',
      });
      expect(log).toContain('Unhandled error');
    }
  });
});
