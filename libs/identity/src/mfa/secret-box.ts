import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const HKDF_INFO = 'homeward mfa secret v1';

/**
 * The AES-256 key TOTP secrets are encrypted with: derived (HKDF-SHA256, RFC 5869) from
 * MFA_SECRET_KEY, or from JWT_SECRET when that is unset. Rotating the key it comes from makes
 * every stored secret unreadable, so users enrol again.
 */
export function mfaSecretKey(keyMaterial: string): Buffer {
  return Buffer.from(hkdfSync('sha256', keyMaterial, Buffer.alloc(0), HKDF_INFO, 32));
}

/**
 * AES-256-GCM with the user id as associated data: a ciphertext copied to another user's row
 * does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function sealSecret(key: Buffer, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The secret, or undefined when the box was made with another key or for another user. */
export function openSecret(key: Buffer, userId: string, sealed: string): string | undefined {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
