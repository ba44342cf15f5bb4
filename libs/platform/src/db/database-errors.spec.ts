import { isTransientDatabaseError } from './database-errors';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isTransientDatabaseError', () => {
  it.each([
    ['the server shutting down (57P01)', withCode('57P01')],
    ['a connection failure (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['a deadlock (40P01)', withCode('40P01')],
    ['a refused TCP connection', withCode('ECONNREFUSED')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool checkout timeout', new Error('timeout exceeded when trying to connect')],
  ])('retries after %s', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a NUL in text (22021)', withCode('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a check constraint (23514)', withCode('23514')],
    ['a unique violation (23505)', withCode('23505')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['something that is not an Error', 'boom'],
  ])('does not retry %s as it is', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
