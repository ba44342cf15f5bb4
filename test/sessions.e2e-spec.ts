import { createHmac } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  ApiClient,
  AppProcess,
  READY_LINES,
  TestStack,
  createOrganization,
  createUser,
  freePort,
  type TestUser,
} from '@homeward/testing';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT (RFC 7519) signed with HMAC under `secret`: the forgeries below differ in one thing each. */
function signed(claims: Record<string, unknown>, secret: string, alg: 'HS256' | 'HS512' = 'HS256'): string {
  const input = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  const signature = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** `alg: none`: a header and payload with an empty signature (RFC 7519 §6). */
function unsignedToken(claims: Record<string, unknown>): string {
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('sessions: refresh, sign-out and token checks on REST and sockets', () => {
  let stack: TestStack;
  let user: TestUser;
  let secret: string;
  let second: AppProcess | undefined;
  const sockets: Socket[] = [];

  const signIn = () => new ApiClient(stack.apiUrl).login(user.email, user.password);
  const as = (token: string) => new ApiClient(stack.apiUrl, token);
  const status = async (token: string) => (await as(token).request('GET', '/api/auth/me')).status;
  const refresh = (refreshToken: string | undefined) =>
    new ApiClient(stack.apiUrl).request<{ accessToken: string; refreshToken: string; expiresIn: number }>(
      'POST',
      '/api/auth/refresh',
      { refreshToken },
    );

  /** Opens an alert socket; answers 'connected' or the refusal's message. */
  function connect(token: string, baseUrl = stack.apiUrl): Promise<{ outcome: string; socket: Socket }> {
    const socket = io(`${baseUrl}/alerts`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ outcome: 'connected', socket }));
      socket.once('connect_error', (error) => resolve({ outcome: error.message, socket }));
    });
  }

  /** Milliseconds until the socket is closed by the server, or a rejection after `within` ms. */
  function closedWithin(socket: Socket, within: number): Promise<number> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${within} ms`)), within);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        if (reason === 'io server disconnect') resolve(Date.now() - started);
        else reject(new Error(`socket closed by ${reason}`));
      });
    });
  }

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'] });
    secret = stack.env().JWT_SECRET;
    const org = await createOrganization(stack.database.pool);
    user = await createUser(stack.database.pool, org, 'coordinator');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await second?.stop();
    await stack?.stop();
  });

  it('signs in with a 15-minute access token naming its session, issuer and audience, and a refresh token', async () => {
    const response = await new ApiClient(stack.apiUrl).request<{
      accessToken: string;
      expiresIn: number;
      refreshToken: string;
      user: { id: string };
    }>('POST', '/api/auth/login', { email: user.email, password: user.password });
    expect(response.status).toBe(200);
    expect(response.body.expiresIn).toBe(900);
    expect(response.body.user.id).toBe(user.id);
    expect(Buffer.from(response.body.refreshToken, 'base64url').length).toBeGreaterThanOrEqual(16);
    const claims = decode(response.body.accessToken);
    expect(claims).toMatchObject({ sub: user.id, iss: 'homeward', aud: 'homeward-api' });
    expect(typeof claims.sid).toBe('string');
    expect(claims.nbf).toBe(claims.iat);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  });

  it('refuses `alg: none`, another key’s token, another issuer or audience and an expired token, on REST and sockets', async () => {
    const api = await signIn();
    const claims = decode(api.accessToken);
    // The same identity claims, with the times left for each forgery to set.
    const rest = Object.fromEntries(
      Object.entries(claims).filter(([name]) => !['iat', 'nbf', 'exp'].includes(name)),
    );
    const now = Math.floor(Date.now() / 1000);
    const times = { iat: now, nbf: now, exp: now + 600 };
    const forgeries = {
      none: unsignedToken(claims),
      otherKey: signed({ ...rest, ...times }, 'another-key-0123456789abcdef0123456789'),
      otherAlgorithm: signed({ ...rest, ...times }, secret, 'HS512'),
      otherIssuer: signed({ ...rest, ...times, iss: 'elsewhere' }, secret),
      otherAudience: signed({ ...rest, ...times, aud: 'homeward-ingest' }, secret),
      expired: signed({ ...rest, iat: now - 1000, nbf: now - 1000, exp: now - 100 }, secret),
      notYetValid: signed({ ...rest, iat: now, nbf: now + 600, exp: now + 1200 }, secret),
      withoutExpiry: signed({ ...rest, iat: now, nbf: now }, secret),
      withoutSession: signed({ ...rest, ...times, sid: undefined }, secret),
    };
    expect(await status(api.accessToken)).toBe(200);
    // The control: the same claims under our own key and algorithm are accepted.
    expect(await status(signed({ ...rest, ...times }, secret))).toBe(200);
    for (const [name, token] of Object.entries(forgeries)) {
      expect({ name, status: await status(token) }).toEqual({ name, status: 401 });
      const { outcome } = await connect(token);
      expect({ name, outcome }).toEqual({ name, outcome: expect.stringMatching(/^unauthorized/) as unknown });
    }
  });

  it('rotates the refresh token; a replaced one used again ends the session for the thief and the owner', async () => {
    const api = await signIn();
    const first = await refresh(api.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(api.refreshToken);
    expect(await status(first.body.accessToken)).toBe(200);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    // The thief uses `first` after the grace window: move its replacement back a minute.
    await stack.database.pool.query(
      `UPDATE refresh_tokens SET replaced_at = now() - interval '1 minute'
       WHERE session_id = $1 AND replaced_at IS NOT NULL`,
      [decode(api.accessToken).sid],
    );
    expect((await refresh(first.body.refreshToken)).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    expect(await status(second.body.accessToken)).toBe(401);
    expect((await refresh('never-issued')).status).toBe(401);
  });

  it('signs one session out: its next request answers 401 and its socket closes within a second', async () => {
    const api = await signIn();
    const other = await signIn();
    const { outcome, socket } = await connect(api.accessToken);
    expect(outcome).toBe('connected');
    const { socket: otherSocket } = await connect(other.accessToken);
    const closed = closedWithin(socket, 1000);
    expect((await api.request('POST', '/api/auth/logout')).status).toBe(204);
    expect(await closed).toBeLessThan(1000);
    expect(await status(api.accessToken)).toBe(401);
    expect((await refresh(api.refreshToken)).status).toBe(401);
    expect((await connect(api.accessToken)).outcome).toMatch(/^unauthorized/);
    // The user's other session is untouched.
    expect(await status(other.accessToken)).toBe(200);
    expect(otherSocket.connected).toBe(true);
  });

  it('signs out everywhere: every session answers 401 and every socket of the user closes', async () => {
    const sessions = await Promise.all([signIn(), signIn(), signIn()]);
    const opened = await Promise.all(sessions.map((session) => connect(session.accessToken)));
    expect(opened.map((open) => open.outcome)).toEqual(['connected', 'connected', 'connected']);
    const closed = Promise.all(opened.map((open) => closedWithin(open.socket, 1000)));
    expect((await sessions[0].request('POST', '/api/auth/logout-all')).status).toBe(204);
    expect(Math.max(...(await closed))).toBeLessThan(1000);
    for (const session of sessions) {
      expect(await status(session.accessToken)).toBe(401);
      expect((await refresh(session.refreshToken)).status).toBe(401);
    }
    const { rows } = await stack.database.pool.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'session.%' ORDER BY id`,
      [user.id],
    );
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'session.sign_in',
        'session.refresh',
        'session.sign_out',
        'session.sign_out_all',
      ]),
    );
  });

  it('revokes across API instances: signed out on one, the other answers 401 next and closes its socket', async () => {
    const port = await freePort();
    second = new AppProcess('api', { ...stack.env(), PORT: String(port) });
    await second.start(READY_LINES.api);
    const secondUrl = `http://127.0.0.1:${port}`;
    const api = await signIn();
    const elsewhere = new ApiClient(secondUrl, api.accessToken);
    // The other instance has seen the session live (and cached that).
    expect((await elsewhere.request('GET', '/api/auth/me')).status).toBe(200);
    const { outcome, socket } = await connect(api.accessToken, secondUrl);
    expect(outcome).toBe('connected');
    const closed = closedWithin(socket, 1000);
    expect((await api.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await elsewhere.request('GET', '/api/auth/me')).status).toBe(401);
    expect(await closed).toBeLessThan(1000);
  });
});
