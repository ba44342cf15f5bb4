import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { REDIS } from '@homeward/platform';
import { AuditService } from '../audit/audit.service';
import type { UserRow } from '../identity.rows';
import { LoginLockedError } from './sign-in.errors';

/**
 * Failed sign-ins per account, whatever address they come from (OWASP API Security Top 10
 * 2023, API2: broken authentication; OWASP Authentication Cheat Sheet, "Account lockout").
 * Counted per email in Redis, under a hash of the email so Redis holds no addresses, and for
 * unknown emails exactly as for known ones: a locked email answers the same 429 whether it
 * has an account or not, so the lock-out reveals nothing. The count starts with the first
 * failure and lasts LOGIN_LOCKOUT_WINDOW_MS; a successful sign-in clears it.
 */
@Injectable()
export class LoginLockout {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Throws LoginLockedError (429, Retry-After) while the email is locked. */
  async assertOpen(email: string): Promise<void> {
    const key = this.key(email);
    const [[, count], [, ttlMs]] = (await this.redis.multi().get(key).pttl(key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (Number(count ?? 0) >= this.config.LOGIN_LOCKOUT_THRESHOLD) {
      throw new LoginLockedError(Math.ceil(Math.max(ttlMs, 0) / 1000));
    }
  }

  /** Counts a failure; the one that reaches the threshold locks the email and is audited. */
  async recordFailure(email: string, user: UserRow | undefined, requestId?: string): Promise<void> {
    const key = this.key(email);
    const results = (await this.redis
      .multi()
      .set(key, 0, 'PX', this.config.LOGIN_LOCKOUT_WINDOW_MS, 'NX')
      .incr(key)
      .exec()) as [[unknown, unknown], [unknown, number]];
    if (results[1][1] !== this.config.LOGIN_LOCKOUT_THRESHOLD) return;
    // Written for unknown emails too (no organisation, no actor), so both take as long.
    const target = { resourceType: 'user', resourceId: user?.id ?? null, outcome: 'denied' as const };
    if (user) {
      await this.audit.record(
        { userId: user.id, organizationId: user.organizationId, role: user.role, requestId },
        'auth.login.locked',
        target,
      );
    } else {
      await this.audit.recordUnauthenticated(
        { role: 'anonymous', organizationId: null, requestId },
        'auth.login.locked',
        target,
      );
    }
  }

  async reset(email: string): Promise<void> {
    await this.redis.del(this.key(email));
  }

  private key(email: string): string {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    return `${this.config.REDIS_PREFIX}:login-failures:${digest}`;
  }
}
