import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** What a key is for: each purpose derives its own key, so a box of one never opens as another. */
export type SecretPurpose = 'mfa' | 'oidc';

const HKDF_INFO: Record<SecretPurpose, string> = {
  mfa: 'homeward mfa secret v1',
  oidc: 'homeward oidc client secret v1',
};

/**
 * The AES-256 key TOTP secrets are encrypted with: derived (HKDF-SHA256, RFC 5869) from
 * MFA_SECRET_KEY, or from JWT_SECRET when that is unset. Rotating the key it comes from makes
 * every stored secret unreadable, so users enrol again.
 */
export function mfaSecretKey(keyMaterial: string): Buffer {
  return secretKey(keyMaterial, 'mfa');
}

/** The AES-256 key of one purpose (HKDF-SHA256 with the purpose as its info). */
export function secretKey(keyMaterial: string, purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', keyMaterial, Buffer.alloc(0), HKDF_INFO[purpose], 32));
}

/** Whether `stored` has the shape of a sealed box (a value stored before sealing has not). */
export function looksSealed(stored: string): boolean {
  const parts = stored.split('.');
  return parts.length === 4 && parts[0] === VERSION;
}

/**
 * AES-256-GCM with the owner's id (the user's for a TOTP secret, the organisation's for a client
 * secret) as associated data: a ciphertext copied to another owner's row does not decrypt.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function sealSecret(key: Buffer, ownerId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(ownerId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The secret, or undefined when the box was made with another key or for another owner. */
export function openSecret(key: Buffer, ownerId: string, sealed: string): string | undefined {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(ownerId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
