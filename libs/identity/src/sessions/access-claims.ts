import { USER_ROLES, type UserRole } from '@homeward/contracts';

/** The claims of a Homeward access token (RFC 7519 registered claims plus ours). */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: UserRole;
  /** The session (sign-in) the token belongs to: revoking it ends the token at once. */
  sid: string;
  iss: string;
  aud: string | string[];
  iat: number;
  nbf: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The claims of a signature-checked token, or undefined when one is missing or malformed, or
 * the token is outside its validity (`nbf`, `exp`). The signature, algorithm, `iss` and `aud` are
 * checked by the verifier first; `exp` and `nbf` are checked here again so a token without them
 * is refused rather than treated as eternal (RFC 8725 §3.10 asks for every claim to be checked).
 */
export function checkAccessClaims(
  payload: unknown,
  expected: { issuer: string; audience: string },
  nowSeconds: number,
): AccessTokenClaims | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
  if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return undefined;
  if (typeof claims.org !== 'string' || !UUID.test(claims.org)) return undefined;
  if (typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return undefined;
  if (typeof claims.role !== 'string' || !(USER_ROLES as readonly string[]).includes(claims.role))
    return undefined;
  if (claims.iss !== expected.issuer) return undefined;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.audience)) return undefined;
  if (!isNumericDate(claims.exp) || !isNumericDate(claims.nbf) || !isNumericDate(claims.iat))
    return undefined;
  if (nowSeconds >= claims.exp || nowSeconds < claims.nbf) return undefined;
  return claims as AccessTokenClaims;
}
