/** What the session store knows about a presented refresh token and its session. */
export interface RefreshTokenState {
  /** When this token was replaced by a newer one; null while it is the family's latest. */
  replacedAt: Date | null;
  sessionRevokedAt: Date | null;
  sessionLastUsedAt: Date;
  sessionExpiresAt: Date;
  userDisabled: boolean;
}

export interface RefreshLimits {
  idleSeconds: number;
  graceSeconds: number;
}

export type RefreshDecision =
  | { kind: 'rotate'; withinGrace: boolean }
  | { kind: 'refuse'; reason: 'session_revoked' | 'session_expired' | 'user_disabled' }
  /** A replaced token presented again after the grace window: the family is compromised. */
  | { kind: 'reuse' };

/**
 * Whether a refresh token may be exchanged (RFC 9700 §4.14.2, refresh token rotation).
 * 1. A revoked, expired (absolute or idle) session or a disabled user ends the exchange.
 * 2. The family's latest token rotates.
 * 3. A token replaced less than `graceSeconds` ago rotates too: two tabs that refreshed with the
 *    same token at the same moment are not an attacker (the console coordinates its tabs; this
 *    is the fallback).
 * 4. Any older replaced token is reuse: someone holds a copy, and the whole session is revoked.
 */
export function decideRefresh(state: RefreshTokenState, limits: RefreshLimits, now: Date): RefreshDecision {
  if (state.sessionRevokedAt) return { kind: 'refuse', reason: 'session_revoked' };
  if (state.replacedAt && now.getTime() - state.replacedAt.getTime() > limits.graceSeconds * 1000)
    return { kind: 'reuse' };
  if (state.userDisabled) return { kind: 'refuse', reason: 'user_disabled' };
  if (now >= state.sessionExpiresAt) return { kind: 'refuse', reason: 'session_expired' };
  if (now.getTime() - state.sessionLastUsedAt.getTime() > limits.idleSeconds * 1000)
    return { kind: 'refuse', reason: 'session_expired' };
  return { kind: 'rotate', withinGrace: state.replacedAt !== null };
}
