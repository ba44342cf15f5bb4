import { TestStack, createOrganization, createUser, type TestUser } from '@homeward/testing';

const FLOOD = 60;

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
  ms: number;
}

/** Issue 21: 100 bogus sign-ins, each from its own address, made a real one wait 18.8 s. */
describe('password hashing bounded to the cores: a sign-in flood gets 429, not an unbounded wait', () => {
  let stack: TestStack;
  let user: TestUser;

  async function login(email: string, password: string, forwardedFor: string): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { code?: string };
    return {
      status: response.status,
      code: body.code,
      retryAfter: response.headers.get('retry-after'),
      ms: performance.now() - started,
    };
  }

  /** A real user's sign-in that honours Retry-After, as the console does; its total time. */
  async function patientLogin(): Promise<{ status: number; ms: number; attempts: number }> {
    const started = performance.now();
    for (let attempts = 1; ; attempts++) {
      const answer = await login(user.email, user.password, '192.0.2.200');
      if (answer.status !== 429 || attempts === 10)
        return { status: answer.status, ms: performance.now() - started, attempts };
      await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1000));
    }
  }

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { TRUST_PROXY: '1', PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' },
    });
    user = await createUser(stack.database.pool, await createOrganization(stack.database.pool), 'clinician');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a flood beyond the queue 429 with Retry-After, never 500, and the real sign-in still succeeds', async () => {
    const quiet = await login(user.email, user.password, '192.0.2.199');
    expect(quiet.status).toBe(200);

    const flood = Array.from({ length: FLOOD }, (_, i) =>
      login(`bogus-${i}@test.homeward.test`, 'wrong-password', `198.51.100.${i}`),
    );
    const during = patientLogin();
    const answers = await Promise.all(flood);
    const real = await during;

    const busy = answers.filter((a) => a.status === 429);
    console.log(
      `hashing bound: quiet sign-in ${quiet.ms.toFixed(0)} ms; flood of ${FLOOD}: ` +
        `${busy.length} × 429, ${answers.filter((a) => a.status === 401).length} × 401, slowest answer ` +
        `${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms; real sign-in ${real.ms.toFixed(0)} ms in ${real.attempts} attempt(s)`,
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401, 429]));
    expect(busy.length).toBeGreaterThan(FLOOD / 2);
    for (const answer of busy) expect(answer).toMatchObject({ code: 'sign_in_busy', retryAfter: '1' });
    // At most one running and two waiting: nobody waits behind the whole flood.
    expect(answers.filter((a) => a.status === 401).length).toBeLessThan(FLOOD / 2);
    expect(real.status).toBe(200);

    expect((await login(user.email, user.password, '192.0.2.201')).status).toBe(200);
  });
});
