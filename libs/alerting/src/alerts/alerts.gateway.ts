import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  ALERTS_NAMESPACE,
  sessionRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@homeward/contracts';
import { AuthService } from '@homeward/identity';
import { AccessPolicy, DatabaseScope, type Principal } from '@homeward/access';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { ExpensiveWork, ExpensiveWorkBusyError } from '@homeward/platform';
import { AlertService } from './alert.service';

interface SocketData {
  principal: Principal;
  sessionId: string;
  expiresAt: Date;
}

type AlertsSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** `auth.lastSequence` as a non-negative integer (a number or its decimal text), else undefined. */
function parseLastSequence(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
}

/**
 * The coordinators' live alert queue. A connection without a valid token of a live session in
 * `auth.token` is refused before it joins anything; it is closed when its token expires or its
 * session is revoked. Delivery is at-most-once, so a client
 * that passes `auth.lastSequence` is replayed the alerts of its organisation after it
 * (critical first, newest first) and then told `alert.replay.complete`.
 */
@WebSocketGateway({ namespace: ALERTS_NAMESPACE, cors: { origin: false } })
export class AlertsGateway implements OnGatewayInit {
  constructor(
    private readonly auth: AuthService,
    private readonly alerts: AlertService,
    private readonly access: AccessPolicy,
    private readonly scope: DatabaseScope,
    private readonly work: ExpensiveWork,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Open sockets per user on this process: 100 sockets of one user replaying slowed everyone. */
  private readonly socketsPerUser = new Map<string, number>();

  /** Counts the socket against its user's cap until it disconnects; false when the cap is reached. */
  private admit(socket: AlertsSocket, userId: string): boolean {
    const open = this.socketsPerUser.get(userId) ?? 0;
    if (open >= this.config.SOCKET_MAX_PER_USER) return false;
    this.socketsPerUser.set(userId, open + 1);
    socket.once('disconnect', () => {
      const left = (this.socketsPerUser.get(userId) ?? 1) - 1;
      if (left > 0) this.socketsPerUser.set(userId, left);
      else this.socketsPerUser.delete(userId);
    });
    return true;
  }

  afterInit(
    namespace: Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>,
  ): void {
    namespace.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token.length === 0)
        return next(new Error('unauthorized: missing token'));
      this.auth
        .verifySession(token)
        .then((session) => {
          if (!session) return next(new Error('unauthorized: invalid or expired token'));
          if (!this.admit(socket, session.principal.userId))
            return next(
              new Error(
                `too_many_sockets: this user already has ${this.config.SOCKET_MAX_PER_USER} alert connections open; close one first`,
              ),
            );
          socket.data.principal = { ...session.principal, requestId: `socket:${socket.id}` };
          socket.data.sessionId = session.sessionId;
          socket.data.expiresAt = session.expiresAt;
          next();
        })
        .catch((error: unknown) => next(error instanceof Error ? error : new Error('unauthorized')));
    });
    namespace.on('connection', (socket: AlertsSocket) => {
      // The socket's queries (the stream's audit row, the replay) run in its principal's scope.
      this.scope
        .run(socket.data.principal, () => this.onConnection(socket))
        .catch((error: unknown) => {
          this.logger.error({ err: error, socketId: socket.id }, 'Alert socket set-up failed');
          socket.disconnect(true);
        });
    });
  }

  private async onConnection(socket: AlertsSocket): Promise<void> {
    const { principal, sessionId, expiresAt } = socket.data;
    // A socket lives no longer than its token: the client reconnects with a fresh one and
    // its last sequence, and is authorised again.
    const expiry = setTimeout(
      () => {
        socket.emit('session.expired');
        socket.disconnect(true);
      },
      Math.max(0, expiresAt.getTime() - Date.now()),
    );
    socket.once('disconnect', () => clearTimeout(expiry));
    // The session's room lets a sign-out or revocation close this socket from any process; a
    // revocation between the handshake and this join is caught by asking once more. The user's
    // room is joined before the care teams are read: a membership change committed meanwhile
    // then either shows in that read or reaches this socket through the user's room (a join of
    // the new team's room, or a disconnect for a team lost), never neither.
    await socket.join([sessionRoom(sessionId), ...this.access.userRooms(principal.userId)]);
    if (!(await this.auth.isSessionLive(sessionId))) {
      socket.disconnect(true);
      return;
    }
    await this.alerts.recordStreamOpened(principal);
    await socket.join(await this.access.socketRooms(principal));
    this.logger.info({ userId: principal.userId, socketId: socket.id }, 'Alert socket connected');
    const lastSequence = parseLastSequence(socket.handshake.auth?.lastSequence);
    if (lastSequence === undefined) return;
    // One replay per socket (at connection), one at a time per user, within the process's share
    // of expensive work; when that is full the client is sent to the REST pages instead.
    const summary = await this.work
      .runInTurn(principal.userId, () =>
        socket.connected
          ? this.alerts.replayAfter(
              principal,
              lastSequence,
              (alerts) => {
                for (const alert of alerts) socket.emit('alert.created', alert);
              },
              (alerts) => {
                for (const alert of alerts) socket.emit('alert.updated', alert);
              },
            )
          : Promise.resolve(undefined),
      )
      .catch((error: unknown) => {
        if (error instanceof ExpensiveWorkBusyError) return this.alerts.deferredReplay(lastSequence);
        throw error;
      });
    if (summary) socket.emit('alert.replay.complete', summary);
  }
}
