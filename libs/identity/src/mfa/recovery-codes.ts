import { createHash, randomBytes } from 'node:crypto';

/** How many recovery codes a confirmed enrolment answers. */
export const RECOVERY_CODE_COUNT = 10;
/** RFC 4648 base32 without padding, lower case: easy to read aloud, nothing ambiguous in 0/o, 1/l. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A code of 80 random bits, written `xxxx-xxxx-xxxx-xxxx` (16 base32 characters). */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return text.match(/.{4}/g)!.join('-');
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, newRecoveryCode);
}

/** The code as typed, without case, spaces or hyphens. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** What is stored of a recovery code: 80 random bits leave nothing for a slow hash to protect. */
export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest();
}
