import { prettyFactory } from 'pino-pretty';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  sleep,
  type AppProcess,
} from '@homeward/testing';

const REQUESTS = 30;
/** Sign-in, registering the patient and recording its consent to monitoring. */
const SETUP_REQUESTS = 3;

/** The log lines a process wrote after `from`, as scripts/demo.sh shows them on a terminal (pino-pretty). */
function prettyLines(
  app: AppProcess,
  from: number,
): { json: Array<Record<string, unknown>>; pretty: string[] } {
  const pretty = prettyFactory({
    ignore: 'pid,hostname',
    translateTime: 'SYS:HH:MM:ss',
    singleLine: true,
    colorize: false,
  });
  const json = app.log
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { json, pretty: json.flatMap((entry) => pretty(entry).trimEnd().split('\n')) };
}

/** Issue 19: one console walk logged 6,000 lines at info and buried the demo's summary. */
describe('request logging at info', () => {
  let stack: TestStack;
  let api: ApiClient;
  let app: AppProcess;
  let token: string;
  let patientId: string;
  let from: number;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOG_LEVEL: 'info' } });
    app = stack.app('api');
    const organization = await createOrganization(stack.database.pool);
    const coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    from = app.log.length;
    api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    token = api.accessToken;
    patientId = (await api.createPatient()).id;
    for (let i = 0; i < REQUESTS - SETUP_REQUESTS - 1; i++) {
      const response = await api.request(
        'GET',
        i % 2 ? `/api/patients/${patientId}?view=${i}` : '/api/patients',
      );
      expect(response.status).toBe(200);
    }
    expect((await api.request('GET', '/api/no-such-route')).status).toBe(404);
    // The completion line is written when the response finishes: give the pipe a moment.
    await sleep(500);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('writes at most two terminal lines per request', () => {
    const { pretty } = prettyLines(app, from);
    expect(pretty.length).toBeGreaterThanOrEqual(REQUESTS);
    expect(pretty.length).toBeLessThanOrEqual(2 * REQUESTS);
  });

  it('names the method, route pattern, status, duration and request id of each request', () => {
    const requests = prettyLines(app, from).json.filter((entry) => entry.component === 'http');
    expect(requests).toHaveLength(REQUESTS);
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        route: '/api/patients/:patientId',
        status: 200,
        durationMs: expect.any(Number),
        reqId: expect.any(String),
      }),
    );
    expect(requests).toContainEqual(expect.objectContaining({ route: '/api/no-such-route', status: 404 }));
    for (const entry of requests) expect(entry).not.toHaveProperty('req');
  });

  it('never writes the bearer token', () => {
    expect(token.length).toBeGreaterThan(20);
    expect(app.log).not.toContain(token);
    expect(app.log.toLowerCase()).not.toContain('bearer');
  });
});

describe('request logging at debug', () => {
  let stack: TestStack;

  afterAll(async () => {
    await stack?.stop();
  });

  it('adds the headers but never the authorization header or cookies', async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOG_LEVEL: 'debug' } });
    const app = stack.app('api');
    const organization = await createOrganization(stack.database.pool);
    const coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const from = app.log.length;
    const cookie = 'session=cookie-value-that-must-not-be-logged';
    expect((await api.request('GET', '/api/patients', undefined, { cookie })).status).toBe(200);
    await sleep(500);
    const line = prettyLines(app, from).json.find((entry) => entry.route === '/api/patients');
    expect(line).toMatchObject({ req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]' } } });
    expect(app.log).not.toContain(api.accessToken);
    expect(app.log).not.toContain('cookie-value-that-must-not-be-logged');
  });

  it('never writes a token sent as ?access_token=, ?token= or in a cookie, at debug', async () => {
    const app = stack.app('api');
    const organization = await createOrganization(stack.database.pool);
    const coordinator = await createUser(stack.database.pool, organization, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const from = app.log.length;
    const token = api.accessToken;
    for (const path of [
      `/api/patients?access_token=${token}`,
      `/api/no-such-route?token=${token}&code=visit-code-1`,
    ]) {
      await api.request('GET', path, undefined, { cookie: `access_token=${token}` });
    }
    const anonymous = await fetch(`${stack.apiUrl}/api/auth/me?access_token=${token}`, {
      headers: { cookie: `jwt=${token}` },
    });
    expect(anonymous.status).toBe(401);
    await sleep(500);
    const written = app.log.slice(from);
    expect(written).toContain('[Redacted]');
    expect(written).not.toContain(token);
    expect(written).not.toContain(token.split('.')[2]);
    expect(written).not.toContain('visit-code-1');
  });
});
