import { decideRefresh, type RefreshTokenState } from './refresh-decision';

const NOW = new Date('2026-12-07T10:00:00Z');
const LIMITS = { idleSeconds: 12 * 3600, graceSeconds: 10 };
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

function state(overrides: Partial<RefreshTokenState> = {}): RefreshTokenState {
  return {
    replacedAt: null,
    sessionRevokedAt: null,
    sessionLastUsedAt: secondsAgo(60),
    sessionExpiresAt: new Date(NOW.getTime() + 86_400_000),
    userDisabled: false,
    ...overrides,
  };
}

describe('decideRefresh: whether a refresh token may be exchanged', () => {
  it('rotates the family’s latest token', () => {
    expect(decideRefresh(state(), LIMITS, NOW)).toEqual({ kind: 'rotate', withinGrace: false });
  });

  it('rotates a token replaced within the grace window, so two tabs refreshing at once stay signed in', () => {
    expect(decideRefresh(state({ replacedAt: secondsAgo(3) }), LIMITS, NOW)).toEqual({
      kind: 'rotate',
      withinGrace: true,
    });
    expect(decideRefresh(state({ replacedAt: secondsAgo(10) }), LIMITS, NOW).kind).toBe('rotate');
  });

  it('treats a replaced token presented after the grace window as reuse', () => {
    expect(decideRefresh(state({ replacedAt: secondsAgo(11) }), LIMITS, NOW)).toEqual({ kind: 'reuse' });
    expect(decideRefresh(state({ replacedAt: secondsAgo(3600) }), LIMITS, NOW)).toEqual({ kind: 'reuse' });
  });

  it('with no grace window, any replaced token is reuse', () => {
    expect(decideRefresh(state({ replacedAt: secondsAgo(1) }), { ...LIMITS, graceSeconds: 0 }, NOW)).toEqual({
      kind: 'reuse',
    });
  });

  it('refuses a revoked session, whatever the token', () => {
    const revoked = { sessionRevokedAt: secondsAgo(5) };
    expect(decideRefresh(state(revoked), LIMITS, NOW)).toEqual({ kind: 'refuse', reason: 'session_revoked' });
    expect(decideRefresh(state({ ...revoked, replacedAt: secondsAgo(600) }), LIMITS, NOW)).toEqual({
      kind: 'refuse',
      reason: 'session_revoked',
    });
  });

  it('refuses a disabled user', () => {
    expect(decideRefresh(state({ userDisabled: true }), LIMITS, NOW)).toEqual({
      kind: 'refuse',
      reason: 'user_disabled',
    });
  });

  it('refuses a session past its absolute expiry', () => {
    expect(decideRefresh(state({ sessionExpiresAt: NOW }), LIMITS, NOW)).toEqual({
      kind: 'refuse',
      reason: 'session_expired',
    });
  });

  it('refuses a session idle longer than the idle timeout', () => {
    expect(decideRefresh(state({ sessionLastUsedAt: secondsAgo(12 * 3600 + 1) }), LIMITS, NOW)).toEqual({
      kind: 'refuse',
      reason: 'session_expired',
    });
    expect(decideRefresh(state({ sessionLastUsedAt: secondsAgo(12 * 3600) }), LIMITS, NOW).kind).toBe(
      'rotate',
    );
  });
});
