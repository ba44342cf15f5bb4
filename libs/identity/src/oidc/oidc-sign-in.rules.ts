import { createHash, randomBytes } from 'node:crypto';

/** Why a single sign-on did not sign anyone in: the code the console shows a message for. */
export const SSO_REFUSALS = [
  'sso_not_configured',
  'sso_invalid_state',
  'sso_provider_error',
  'sso_email_unverified',
  'sso_domain_not_allowed',
  'sso_no_account',
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

/** How long a sign-in may stay at the provider, and how long the console has to exchange its code. */
export const STATE_TTL_SECONDS = 600;
export const HANDOFF_TTL_SECONDS = 60;

/** A fresh state, nonce, PKCE verifier or handoff code: 256 random bits, base64url (RFC 7636 §4.1). */
export function newFlowSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a state or handoff code: they have 256 random bits, so a fast hash is enough. */
export function hashFlowSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Where providers send the browser back: the redirect URI registered with them. */
export function oidcCallbackUrl(publicUrl: string): string {
  return `${publicUrl}/api/auth/oidc/callback`;
}

/**
 * Where the browser goes back to the console. The result travels in the fragment, which browsers
 * never send to a server, so neither the access log nor a proxy sees the one-time code.
 */
export function consoleReturnUrl(
  publicUrl: string,
  result: { code: string } | { error: SsoRefusal },
): string {
  const fragment = 'code' in result ? `sso_code=${result.code}` : `sso_error=${result.error}`;
  return `${publicUrl}/#${fragment}`;
}

/** The identity claims a provider vouched for (ID token, then UserInfo). */
export interface ProviderClaims {
  email?: unknown;
  email_verified?: unknown;
}

/**
 * The email a provider's claims sign in, or why they do not: the provider must say the address
 * is verified (`email_verified` exactly `true`, OpenID Connect Core §5.1), and its domain must be
 * one the organisation allows when it lists any.
 */
export function verifiedEmailOf(
  claims: ProviderClaims,
  allowedDomains: readonly string[],
): { ok: true; email: string } | { ok: false; reason: SsoRefusal } {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) return { ok: false, reason: 'sso_no_account' };
  if (claims.email_verified !== true) return { ok: false, reason: 'sso_email_unverified' };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (allowedDomains.length > 0 && !allowedDomains.includes(domain))
    return { ok: false, reason: 'sso_domain_not_allowed' };
  return { ok: true, email };
}

/**
 * Whether a user found by email may sign in through the organisation's provider: an active
 * member of that organisation. Single sign-on never creates an account.
 */
export function mayUseOrganizationSso(
  user: { organizationId: string; disabledAt: Date | null } | undefined,
  organizationId: string,
): boolean {
  return Boolean(user && user.organizationId === organizationId && !user.disabledAt);
}

/** Allowed email domains as stored: lower-case, without a leading `@`, each once, sorted. */
export function normaliseDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((domain) => domain.trim().toLowerCase().replace(/^@/, '')))]
    .filter(Boolean)
    .sort();
}

/**
 * Whether an issuer URL may be used: https, or http only where insecure issuers are allowed
 * (a development or test provider). No query or fragment (OpenID Connect Discovery §2).
 */
export function issuerProblem(issuer: string, allowInsecure: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer must be a URL';
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:'))
    return allowInsecure ? 'issuer must be an http(s) URL' : 'issuer must be an https URL';
  if (url.search || url.hash) return 'issuer must have no query or fragment';
  if (url.username || url.password) return 'issuer must not carry credentials';
  return undefined;
}

/** Reads one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
