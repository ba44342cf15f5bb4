import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { ALERTS_NAMESPACE, sessionRoom } from '@homeward/contracts';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, REDIS, SocketEmitter, type Queryable } from '@homeward/platform';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import type { SessionRow } from '../identity.rows';
import { decideRefresh } from './refresh-decision';
import { SessionRepository } from './session.repository';
import { hashRefreshToken, newRefreshToken } from './session-tokens';

/** Where a sign-in or refresh came from, kept on the session for the user's list of sessions. */
export interface SessionClient {
  userAgent?: string | null;
  ipAddress?: string | null;
}

export type RotateResult =
  | { ok: true; session: SessionRow; principal: Principal; refreshToken: string }
  | {
      ok: false;
      reason: 'unknown_token' | 'session_revoked' | 'session_expired' | 'user_disabled' | 'reuse';
    };

/** The sockets of a revoked session live in these namespaces. */
const SESSION_NAMESPACES = [ALERTS_NAMESPACE];
/** How long a "live" answer is cached; revocation overwrites it at once. */
const LIVE_CACHE_SECONDS = 30;

/**
 * Sessions (one per sign-in) and their refresh-token families. Revocation is immediate: the
 * session's state is cached in Redis, shared by every API instance, and a revocation overwrites
 * the cached state and closes the session's sockets through the socket.io Redis adapter.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditService,
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly sockets: SocketEmitter,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Starts a session for a user who just proved who they are; answers it with its first refresh token. */
  async start(
    principal: Principal,
    client: SessionClient,
  ): Promise<{ session: SessionRow; refreshToken: string }> {
    const refreshToken = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.REFRESH_ABSOLUTE_SECONDS * 1000);
    const session = await this.db.transaction(async (q) => {
      const row = await this.sessions.insert(
        {
          userId: principal.userId,
          expiresAt,
          userAgent: truncate(client.userAgent),
          ipAddress: truncate(client.ipAddress),
        },
        q,
      );
      await this.sessions.insertRefreshToken(row.id, hashRefreshToken(refreshToken), q);
      await this.audit.record(
        principal,
        'session.sign_in',
        { resourceType: 'session', resourceId: row.id },
        q,
      );
      return row;
    });
    return { session, refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one (rotation). A replaced token presented after the
   * grace window revokes the whole session, so the thief's and the owner's next refresh both fail.
   */
  async rotate(refreshToken: string, requestId?: string): Promise<RotateResult> {
    const tokenHash = hashRefreshToken(refreshToken);
    let revoked: string | undefined;
    const result = await this.db.transaction(async (q): Promise<RotateResult> => {
      const found = await this.sessions.lockByRefreshToken(tokenHash, q);
      if (!found) return { ok: false, reason: 'unknown_token' };
      revoked = found.id;
      const principal: Principal = {
        userId: found.userId,
        organizationId: found.organizationId,
        role: found.role,
        requestId,
      };
      const decision = (await this.isMarkedRevoked(found.id))
        ? ({ kind: 'refuse', reason: 'session_revoked' } as const)
        : decideRefresh(
            {
              replacedAt: found.replacedAt,
              sessionRevokedAt: found.revokedAt,
              sessionLastUsedAt: found.lastUsedAt,
              sessionExpiresAt: found.expiresAt,
              userDisabled: found.userDisabled,
            },
            {
              idleSeconds: this.config.REFRESH_IDLE_SECONDS,
              graceSeconds: this.config.REFRESH_REUSE_GRACE_SECONDS,
            },
            new Date(),
          );
      if (decision.kind === 'reuse') {
        await this.sessions.revoke(found.id, 'refresh_token_reuse', q);
        await this.audit.record(
          principal,
          'session.refresh',
          { resourceType: 'session', resourceId: found.id, outcome: 'denied' },
          q,
        );
        return { ok: false, reason: 'reuse' };
      }
      if (decision.kind === 'refuse') {
        if (!found.revokedAt) await this.sessions.revoke(found.id, decision.reason, q);
        return { ok: false, reason: decision.reason };
      }
      revoked = undefined;
      const next = newRefreshToken();
      await this.sessions.markReplaced(tokenHash, q);
      await this.sessions.insertRefreshToken(found.id, hashRefreshToken(next), q);
      await this.sessions.touch(found.id, q);
      await this.audit.record(
        principal,
        'session.refresh',
        { resourceType: 'session', resourceId: found.id },
        q,
      );
      return { ok: true, session: found, principal, refreshToken: next };
    });
    if (result.ok) return result;
    // A refused refresh ended its session: its access tokens and sockets end now, too.
    if (revoked) await this.afterRevoke([revoked]);
    if (result.reason === 'reuse' || result.reason === 'session_revoked')
      this.logger.warn({ reason: result.reason, sessionId: revoked }, 'Refresh refused');
    return result;
  }

  /** Ends one session (sign-out). */
  async end(principal: Principal, sessionId: string): Promise<void> {
    await this.db.transaction(async (q) => {
      await this.sessions.revoke(sessionId, 'sign_out', q);
      await this.audit.record(
        principal,
        'session.sign_out',
        { resourceType: 'session', resourceId: sessionId },
        q,
      );
    });
    await this.afterRevoke([sessionId]);
  }

  /** Ends every session of the principal's user (sign out everywhere). */
  async endAll(principal: Principal): Promise<void> {
    await this.db.transaction(async (q) => {
      await this.revokeUserSessions(q, principal.userId, 'sign_out_all');
      await this.audit.record(
        principal,
        'session.sign_out_all',
        { resourceType: 'user', resourceId: principal.userId },
        q,
      );
    });
  }

  /**
   * Revokes every live session of a user (but `exceptSessionId`, the caller's own, when given)
   * in the caller's transaction `q`, for whoever disables a user, changes a password or signs
   * out everywhere. It does not wait for the commit: before returning it marks the sessions
   * revoked in the shared cache and closes their sockets, so their next request, handshake or
   * refresh is refused whether or not the transaction has committed yet. If the transaction
   * rolls back, those sessions stay signed out (a refresh then revokes them in the database
   * too): failing closed costs the user a sign-in, never access that should have ended.
   */
  async revokeUserSessions(
    q: Queryable,
    userId: string,
    reason: string,
    exceptSessionId?: string,
  ): Promise<void> {
    const ids = await this.sessions.revokeForUser(userId, reason, exceptSessionId ?? null, q);
    await this.afterRevoke(ids);
  }

  /** Whether a session is live (not revoked, not expired, its user active), cached in Redis. */
  async isLive(sessionId: string): Promise<boolean> {
    const key = this.cacheKey(sessionId);
    let cached: string | null = null;
    try {
      cached = await this.redis.get(key);
    } catch (error) {
      this.logger.warn({ err: error }, 'Session cache unreachable; asking the database');
    }
    if (cached === 'revoked') return false;
    if (cached === 'live') return true;
    const live = await this.sessions.isLive(sessionId);
    // NX: a revocation written meanwhile wins over this (possibly older) answer.
    await this.redis
      .set(key, live ? 'live' : 'revoked', 'EX', live ? LIVE_CACHE_SECONDS : this.revokedTtl(), 'NX')
      .catch(() => undefined);
    return live;
  }

  private async afterRevoke(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of sessionIds) pipeline.set(this.cacheKey(id), 'revoked', 'EX', this.revokedTtl());
    await pipeline.exec();
    const rooms = sessionIds.map(sessionRoom);
    for (const namespace of SESSION_NAMESPACES) this.sockets.disconnect(namespace, rooms);
  }

  private async isMarkedRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.get(this.cacheKey(sessionId)).catch(() => null)) === 'revoked';
  }

  /** A revoked mark outlives every access token the session was given. */
  private revokedTtl(): number {
    return this.config.JWT_TTL_SECONDS + 60;
  }

  private cacheKey(sessionId: string): string {
    return `${this.config.REDIS_PREFIX}:session:${sessionId}`;
  }
}

function truncate(value: string | null | undefined): string | null {
  return value ? value.slice(0, 512) : null;
}
