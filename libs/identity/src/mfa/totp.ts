import { authenticator } from 'otplib';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_ISSUER = 'Homeward';
/** Codes of the step before and after now are accepted too: phone clocks drift (RFC 6238 §5.2). */
const TOTP_WINDOW = 1;
/** 160 bits, the secret length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;

const TOTP_CODE = /^\d{6}$/;

/** A new shared secret, base32 (what authenticator apps take). */
export function newTotpSecret(): string {
  return authenticator.generateSecret(SECRET_BYTES);
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpUri(label: string, secret: string): string {
  return authenticator.keyuri(label, TOTP_ISSUER, secret);
}

/** Whether `code` has the shape of a TOTP code (six digits), rather than a recovery code. */
export function isTotpCode(code: string): boolean {
  return TOTP_CODE.test(code);
}

/**
 * The time step `code` belongs to, when it is the secret's code for the step of `nowMs` or one
 * step either side; null otherwise. The caller refuses a step already used (replay).
 */
export function matchTotpStep(code: string, secret: string, nowMs: number): number | null {
  if (!isTotpCode(code)) return null;
  const checker = authenticator.clone({ window: TOTP_WINDOW, epoch: nowMs });
  const delta = checker.checkDelta(code, secret);
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS) + delta;
}
