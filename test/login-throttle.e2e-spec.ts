import { Redis } from 'ioredis';
import {
  AppProcess,
  READY_LINES,
  TEST_REDIS_URL,
  TestStack,
  deleteRedisKeys,
  freePort,
} from '@homeward/testing';

const LIMIT = 3;

describe('login throttling: one limit across API replicas, client addresses through trusted proxies only', () => {
  let stack: TestStack;
  const extra: AppProcess[] = [];
  const prefixes: string[] = [];

  /** Another API process on the stack's database and Redis, with its own port and overrides. */
  async function startApi(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    const app = new AppProcess('api', { ...stack.env(), PORT: String(port), ...env });
    extra.push(app);
    if (env.REDIS_PREFIX) prefixes.push(env.REDIS_PREFIX);
    await app.start(READY_LINES.api);
    return `http://127.0.0.1:${port}`;
  }

  /** A wrong-password login, as a client behind a proxy that appends the address it saw. */
  async function login(baseUrl: string, forwardedFor?: string): Promise<number> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
      },
      body: JSON.stringify({ email: 'someone@example.test', password: 'wrong-password' }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: String(LIMIT) } });
  });

  afterAll(async () => {
    await Promise.all(extra.map((app) => app.stop()));
    await stack?.stop();
    await Promise.all(prefixes.map((prefix) => deleteRedisKeys(prefix)));
  });

  it('counts logins against one limit in Redis, whichever API replica answers', async () => {
    const second = await startApi({});
    for (let i = 0; i < LIMIT; i++) expect(await login(stack.apiUrl)).toBe(401);
    expect(await login(second)).toBe(429);
    expect(await login(stack.apiUrl)).toBe(429);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect((await redis.keys(`${stack.env().REDIS_PREFIX}:throttle:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('gives each forwarded client its own bucket with TRUST_PROXY, and ignores X-Forwarded-For without it', async () => {
    const trusting = await startApi({ TRUST_PROXY: '1', REDIS_PREFIX: `${stack.env().REDIS_PREFIX}-trust` });
    for (let i = 0; i < LIMIT; i++) expect(await login(trusting, '203.0.113.10')).toBe(401);
    expect(await login(trusting, '203.0.113.10')).toBe(429);
    expect(await login(trusting, '203.0.113.20')).toBe(401);
    // Only the proxy's own entry counts: a client cannot pick its address by sending the header itself.
    expect(await login(trusting, '203.0.113.30, 203.0.113.10')).toBe(429);

    const direct = await startApi({ REDIS_PREFIX: `${stack.env().REDIS_PREFIX}-direct` });
    for (let i = 0; i < LIMIT; i++) expect(await login(direct, `198.51.100.${i + 1}`)).toBe(401);
    expect(await login(direct, '198.51.100.99')).toBe(429);
    expect(await login(direct)).toBe(429);
  });
});
