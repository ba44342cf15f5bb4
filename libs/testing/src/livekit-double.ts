import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AccessToken, TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { freePort } from './ports';

/** One RoomService call as the double received it. */
export interface LiveKitCall {
  method: 'CreateRoom' | 'DeleteRoom' | 'RemoveParticipant' | 'ListParticipants';
  body: Record<string, unknown>;
  grants: ClaimGrants;
}

type Outage = 'none' | 'unavailable' | 'reset';

/**
 * No LiveKit server can run on these machines (it is in neither package registry), so this
 * loopback double plays the part of LiveKit's RoomService the platform calls, as the SDK's
 * `RoomServiceClient` speaks it: Twirp JSON over HTTP
 * (https://docs.livekit.io/reference/server/server-apis/) at `/twirp/livekit.RoomService/…`.
 * Like LiveKit, it verifies each request's `Authorization: Bearer` token with the SDK's
 * `TokenVerifier` and requires `roomCreate` for CreateRoom and DeleteRoom, `roomAdmin` over the
 * named room for RemoveParticipant and ListParticipants (401 `unauthenticated` / 403
 * `permission_denied` otherwise). It records every accepted call, keeps the rooms and who is in
 * them, signs webhooks the way LiveKit does, and can fail as an outage would.
 */
export class LiveKitDouble {
  readonly apiKey = `API${randomBytes(6).toString('hex')}`;
  readonly apiSecret = randomBytes(24).toString('hex');
  readonly calls: LiveKitCall[] = [];
  /** Requests refused for a missing or bad token or a missing grant. */
  refused = 0;
  readonly rooms = new Map<
    string,
    { emptyTimeout: number; maxParticipants: number; participants: Set<string> }
  >();
  private outage: Outage = 'none';
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<LiveKitDouble> {
    const port = await freePort();
    const server = createServer();
    const double = new LiveKitDouble(server, port);
    server.on('connection', (socket: Socket) => {
      double.sockets.add(socket);
      socket.on('close', () => double.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      double
        .handle(request, response)
        .catch((error: Error) => twirpError(response, 500, 'internal', error.message));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return double;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** LIVEKIT_* for Homeward, pointing at this double. */
  env(): Record<string, string> {
    return { LIVEKIT_URL: this.url, LIVEKIT_API_KEY: this.apiKey, LIVEKIT_API_SECRET: this.apiSecret };
  }

  /** `unavailable`: every call answers 503; `reset`: every connection is dropped; `none`: back to normal. */
  simulateOutage(outage: Outage): void {
    this.outage = outage;
  }

  callsTo(method: LiveKitCall['method']): LiveKitCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Marks `identity` as connected to `room`, as a join would. */
  connect(room: string, identity: string): void {
    this.rooms.get(room)?.participants.add(identity);
  }

  /**
   * A webhook as LiveKit sends it: the JSON body, and an `Authorization` JWT signed with the API
   * secret whose `sha256` claim is the base64 sha256 of the exact body
   * (livekit-server-sdk `WebhookReceiver`).
   */
  async signWebhook(
    event: Record<string, unknown>,
    secret: string = this.apiSecret,
  ): Promise<{ body: string; authorization: string }> {
    const body = JSON.stringify(event);
    const token = new AccessToken(this.apiKey, secret);
    token.sha256 = createHash('sha256').update(body).digest('base64');
    return { body, authorization: await token.toJwt() };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.outage === 'reset') {
      request.socket.destroy();
      return;
    }
    const body = await readJson(request);
    if (this.outage === 'unavailable') return twirpError(response, 503, 'unavailable', 'service unavailable');
    const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(request.url ?? '');
    const method = match?.[1];
    if (request.method !== 'POST' || !isKnown(method))
      return twirpError(response, 404, 'bad_route', 'no such method');
    const header = request.headers.authorization ?? '';
    const grants = header.startsWith('Bearer ')
      ? await new TokenVerifier(this.apiKey, this.apiSecret).verify(header.slice(7)).catch(() => undefined)
      : undefined;
    if (!grants) {
      this.refused += 1;
      return twirpError(response, 401, 'unauthenticated', 'invalid token');
    }
    const room = typeof body.room === 'string' ? body.room : typeof body.name === 'string' ? body.name : '';
    const needsAdmin = method === 'RemoveParticipant' || method === 'ListParticipants';
    const allowed = needsAdmin
      ? grants.video?.roomAdmin === true && grants.video.room === room
      : grants.video?.roomCreate === true;
    if (!allowed) {
      this.refused += 1;
      return twirpError(response, 403, 'permission_denied', 'missing grant');
    }
    this.calls.push({ method, body, grants });
    switch (method) {
      case 'CreateRoom': {
        const existing = this.rooms.get(room);
        if (!existing)
          this.rooms.set(room, {
            emptyTimeout: Number(body.emptyTimeout ?? 0),
            maxParticipants: Number(body.maxParticipants ?? 0),
            participants: new Set(),
          });
        const created = this.rooms.get(room);
        return json(response, 200, {
          sid: `RM_${createHash('sha1').update(room).digest('hex').slice(0, 12)}`,
          name: room,
          emptyTimeout: created?.emptyTimeout,
          maxParticipants: created?.maxParticipants,
          creationTime: String(Math.floor(Date.now() / 1000)),
        });
      }
      case 'DeleteRoom':
        if (!this.rooms.delete(room)) return twirpError(response, 404, 'not_found', 'room not found');
        return json(response, 200, {});
      case 'ListParticipants': {
        const state = this.rooms.get(room);
        if (!state) return twirpError(response, 404, 'not_found', 'room not found');
        return json(response, 200, {
          participants: [...state.participants].map((identity) => ({ identity, sid: `PA_${identity}` })),
        });
      }
      case 'RemoveParticipant': {
        const state = this.rooms.get(room);
        const identity = typeof body.identity === 'string' ? body.identity : '';
        if (!state?.participants.delete(identity))
          return twirpError(response, 404, 'not_found', 'participant not found');
        return json(response, 200, {});
      }
    }
  }
}

const METHODS = ['CreateRoom', 'DeleteRoom', 'RemoveParticipant', 'ListParticipants'] as const;
function isKnown(method: string | undefined): method is LiveKitCall['method'] {
  return (METHODS as readonly string[]).includes(method ?? '');
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Twirp's error body (https://twitchtv.github.io/twirp/docs/spec_v7.html#error-codes). */
function twirpError(response: ServerResponse, status: number, code: string, msg: string): void {
  json(response, status, { code, msg });
}
