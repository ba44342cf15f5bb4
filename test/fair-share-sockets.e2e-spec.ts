import { io, type Socket } from 'socket.io-client';
import { ApiClient, TestStack, createOrganization, createUser } from '@homeward/testing';

const CAP = 3;

/** Issue 21: 100 sockets of one user, each asking for a 5,000-alert replay, slowed everyone. */
describe('alert sockets per user: a cap, and replays one at a time per user', () => {
  let stack: TestStack;
  let api: ApiClient;
  let other: ApiClient;
  const sockets: Socket[] = [];

  /** Connects with `auth.lastSequence` 0; resolves with the replay summary or the refusal. */
  function connect(token: string): Promise<{ socket: Socket; outcome: string }> {
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token, lastSequence: 0 },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('alert.replay.complete', () => resolve({ socket, outcome: 'replayed' }));
      socket.once('connect_error', (error) => resolve({ socket, outcome: error.message }));
    });
  }

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { SOCKET_MAX_PER_USER: String(CAP) } });
    const organization = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const colleague = await createUser(stack.database.pool, organization, 'clinician');
    other = await new ApiClient(stack.apiUrl).login(colleague.email, colleague.password);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  it('refuses the socket past the cap with a clear error, and admits one again once a socket closes', async () => {
    const first = await Promise.all(Array.from({ length: CAP }, () => connect(api.accessToken)));
    expect(first.map((s) => s.outcome)).toEqual(Array(CAP).fill('replayed'));
    const refused = await connect(api.accessToken);
    expect(refused.outcome).toMatch(/^too_many_sockets: this user already has 3 alert connections open/);
    // Another user of the same organisation is not affected.
    expect((await connect(other.accessToken)).outcome).toBe('replayed');

    first[0].socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await connect(api.accessToken)).outcome).toBe('replayed');
    expect((await connect(api.accessToken)).outcome).toMatch(/^too_many_sockets/);
  });

  it('replays every admitted socket of a burst, one after another, without a failure', async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const burst = await Promise.all(Array.from({ length: CAP + 5 }, () => connect(api.accessToken)));
    const outcomes = burst.map((s) => s.outcome);
    expect(outcomes.filter((o) => o === 'replayed')).toHaveLength(CAP);
    expect(outcomes.filter((o) => o.startsWith('too_many_sockets'))).toHaveLength(5);
    expect(stack.app('api').log).not.toContain('Alert socket set-up failed');
  });
});
