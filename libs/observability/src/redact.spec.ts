import { Writable } from 'node:stream';
import type pino from 'pino';
import { createLogger } from './logger';
import { REDACTED, redactCredentials, redactQuery, redactUrl } from './redact';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJvcmciOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

describe('credential redaction', () => {
  it('replaces the value of every credential query parameter and keeps the rest', () => {
    expect(redactUrl(`/api/patients?access_token=${JWT}&limit=5`)).toBe(
      `/api/patients?access_token=${REDACTED}&limit=5`,
    );
    expect(redactUrl('/join?code=abc123&x=1#frag')).toBe(`/join?code=${REDACTED}&x=1#frag`);
    expect(redactUrl('/a?Token=t&refresh_token=r&invitation=i&secret=s')).toBe(
      `/a?Token=${REDACTED}&refresh_token=${REDACTED}&invitation=${REDACTED}&secret=${REDACTED}`,
    );
    expect(redactUrl('/a?acc%65ss_token=t')).toBe(`/a?acc%65ss_token=${REDACTED}`);
    // An OpenID Connect callback: the authorization code and the state, not the issuer.
    expect(redactUrl('/api/auth/oidc/callback?code=c&state=s&iss=https%3A%2F%2Fidp')).toBe(
      `/api/auth/oidc/callback?code=${REDACTED}&state=${REDACTED}&iss=https%3A%2F%2Fidp`,
    );
    expect(redactUrl('/api/patients?view=1')).toBe('/api/patients?view=1');
  });

  it('masks a JWT anywhere in text, in a path or a parameter of another name', () => {
    expect(redactCredentials(`Bearer ${JWT} went by`)).toBe(`Bearer ${REDACTED} went by`);
    expect(redactUrl(`/api/x/${JWT}?q=${JWT}`)).toBe(`/api/x/${REDACTED}?q=${REDACTED}`);
  });

  it('replaces credential entries of a parsed query', () => {
    expect(redactQuery({ token: 't', limit: '5' })).toEqual({ token: REDACTED, limit: '5' });
    expect(redactQuery(undefined)).toBeUndefined();
  });

  it('keeps tokens, refresh tokens, device secrets and JWT-bearing messages out of the process log', () => {
    const lines: string[] = [];
    const captured = createCapturingLogger(lines);
    captured.info({ refreshToken: 'rt-secret', device: { secret: 'dev-secret', deviceSecret: 'd2' } }, 'x');
    captured.info(`token was ${JWT}`);
    captured.info({ req: { headers: { cookie: `session=${JWT}`, authorization: `Bearer ${JWT}` } } }, 'req');
    const log = lines.join('');
    for (const secret of ['rt-secret', 'dev-secret', 'd2', JWT]) expect(log).not.toContain(secret);
  });
});

/** The process logger's options, writing into `lines`. */
function createCapturingLogger(lines: string[]): pino.Logger {
  return createLogger({
    level: 'debug',
    name: 'test',
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
}
