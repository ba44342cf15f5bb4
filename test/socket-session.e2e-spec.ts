import { io } from 'socket.io-client';
import { ApiClient, TestStack, createOrganization, createUser } from '@homeward/testing';

describe('access token lifetime on sockets and routes', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { JWT_TTL_SECONDS: '2' } });
    const org = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('closes an alert socket when its token expires, and the expired token opens nothing', async () => {
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    const events: string[] = [];
    socket.on('session.expired', () => events.push('session.expired'));
    const connectedAt = Date.now();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    expect(events).toEqual(['session.expired']);
    expect(Date.now() - connectedAt).toBeLessThan(4000);

    expect((await api.request('GET', '/api/alerts')).status).toBe(401);
    const retry = await new Promise<string>((resolve) => {
      const again = io(`${stack.apiUrl}/alerts`, {
        auth: { token: api.accessToken },
        transports: ['websocket'],
        reconnection: false,
      });
      again.once('connect', () => resolve('connected'));
      again.once('connect_error', (error) => resolve(error.message));
    });
    expect(retry).toMatch(/unauthorized/);
  });
});
