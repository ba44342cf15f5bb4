import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque refresh token: 256 random bits, base64url (RFC 9700 §4.14; OWASP ASVS V3.2.2). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored of a refresh token. A fast hash is enough: the token has 256 random bits, so
 * nothing can be guessed from the hash the way a password could.
 */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
