import { createHash, randomBytes } from 'node:crypto';
import type { VisitStatus } from '@homeward/contracts';
import { isClosedVisitStatus } from '@homeward/contracts';

/** 32 random bytes (256 bits) in base64url: 43 characters, unguessable, safe in a URL. */
export function generateLinkCode(): string {
  return randomBytes(32).toString('base64url');
}

/** A link code as stored: its sha256, so the table alone lets nobody in. */
export function hashLinkCode(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}

/** What a code may look like; anything else cannot be one of ours. */
export const LINK_CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Links live VISIT_LINK_TTL_MINUTES after the visit's time, or after they are issued if that is later. */
export function linkExpiry(scheduledFor: Date | null, now: Date, ttlMinutes: number): Date {
  const from = Math.max(scheduledFor?.getTime() ?? 0, now.getTime());
  return new Date(from + ttlMinutes * 60_000);
}

export type LinkState = 'valid' | 'used' | 'expired' | 'voided' | 'visit_closed';

/** Whether a link still lets someone in, and if not why. */
export function linkState(
  link: { usedAt: Date | null; voidedAt: Date | null; expiresAt: Date },
  visitStatus: VisitStatus,
  now: Date,
): LinkState {
  if (link.usedAt) return 'used';
  if (link.voidedAt) return 'voided';
  if (isClosedVisitStatus(visitStatus)) return 'visit_closed';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** The link handed to the patient or guest: the console's join page with the code. */
export function joinUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/visit/join?code=${encodeURIComponent(code)}`;
}
