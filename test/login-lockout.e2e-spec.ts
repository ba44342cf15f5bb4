import { TestStack, createOrganization, createUser, type TestUser } from '@homeward/testing';

const THRESHOLD = 10;

interface Answer {
  status: number;
  code?: string;
  message?: string;
  retryAfter: string | null;
  ms: number;
}

describe('login lock-out per account: failures from many addresses lock the email, known or not', () => {
  let stack: TestStack;
  let organizationId: string;

  async function login(email: string, password: string, forwardedFor: string): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { code?: string; message?: string };
    return {
      status: response.status,
      code: body.code,
      message: body.message,
      retryAfter: response.headers.get('retry-after'),
      ms: performance.now() - started,
    };
  }

  /** 160 wrong passwords, 8 from each of 20 addresses: every address stays under its own limit. */
  async function spray(email: string, subnet: number): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; i < 160; i++)
      answers.push(await login(email, 'wrong-password', `203.0.${subnet}.${i % 20}`));
    return answers;
  }

  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { TRUST_PROXY: '1', LOGIN_LOCKOUT_THRESHOLD: String(THRESHOLD) },
    });
    organizationId = await createOrganization(stack.database.pool);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('locks an account after its threshold of failures spread over 20 addresses, and an unknown email answers alike', async () => {
    const user: TestUser = await createUser(stack.database.pool, organizationId, 'clinician');
    const known = await spray(user.email, 10);
    const unknown = await spray('nobody-here@test.homeward.test', 11);

    for (const answers of [known, unknown]) {
      expect(answers.slice(0, THRESHOLD).map((a) => a.status)).toEqual(Array(THRESHOLD).fill(401));
      const locked = answers.slice(THRESHOLD);
      expect(new Set(locked.map((a) => a.status))).toEqual(new Set([429]));
      expect(new Set(locked.map((a) => a.code))).toEqual(new Set(['login_locked']));
      expect(locked.every((a) => Number(a.retryAfter) > 0)).toBe(true);
    }
    expect(known[0].message).toBe(unknown[0].message);
    expect(known[THRESHOLD].message).toBe(unknown[THRESHOLD].message);

    // Same work on both paths (a decoy hash for the unknown email): report and bound the medians.
    const timings = {
      known401: median(known.slice(0, THRESHOLD).map((a) => a.ms)),
      unknown401: median(unknown.slice(0, THRESHOLD).map((a) => a.ms)),
      known429: median(known.slice(THRESHOLD).map((a) => a.ms)),
      unknown429: median(unknown.slice(THRESHOLD).map((a) => a.ms)),
    };
    console.log(`login lock-out medians (ms): ${JSON.stringify(timings)}`);
    expect(timings.known401 / timings.unknown401).toBeGreaterThan(1 / 3);
    expect(timings.known401 / timings.unknown401).toBeLessThan(3);

    // Locked means locked: the right password is refused too, from a fresh address.
    expect((await login(user.email, user.password, '198.51.100.7')).status).toBe(429);

    const { rows } = await stack.database.pool.query<{ actor_user_id: string; outcome: string }>(
      `SELECT actor_user_id, outcome FROM audit_events WHERE action = 'auth.login.locked'`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { actor_user_id: user.id, outcome: 'denied' },
        { actor_user_id: null, outcome: 'denied' },
      ]),
    );
  });

  it('clears the count when the account signs in', async () => {
    const user = await createUser(stack.database.pool, organizationId, 'coordinator');
    for (let i = 0; i < THRESHOLD - 1; i++)
      expect((await login(user.email, 'nope', `192.0.2.${i}`)).status).toBe(401);
    expect((await login(user.email, user.password, '192.0.2.50')).status).toBe(200);
    for (let i = 0; i < THRESHOLD - 1; i++)
      expect((await login(user.email, 'nope', `192.0.2.${i + 100}`)).status).toBe(401);
    expect((await login(user.email, user.password, '192.0.2.51')).status).toBe(200);
  });
});
