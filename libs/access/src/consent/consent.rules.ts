import { RECORDABLE_CONSENT_METHODS, type RecordableConsentMethod } from '@homeward/contracts';
import type { ConsentRow } from './consent.rows';

/** A clock may run a little ahead of the server's; a consent "given" later than this is refused. */
export const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a consent cannot be recorded as given, or undefined when it can: only a person's methods
 * (never `legacy`), and given now or earlier.
 */
export function consentRecordProblem(
  input: { method: string; givenAt: Date },
  now: Date,
): string | undefined {
  if (!(RECORDABLE_CONSENT_METHODS as readonly string[]).includes(input.method))
    return `method must be one of ${RECORDABLE_CONSENT_METHODS.join(', ')}`;
  if (Number.isNaN(input.givenAt.getTime())) return 'givenAt is not a date';
  if (input.givenAt.getTime() > now.getTime() + CONSENT_CLOCK_SKEW_MS) return 'givenAt is in the future';
  return undefined;
}

export function isRecordableMethod(method: string): method is RecordableConsentMethod {
  return (RECORDABLE_CONSENT_METHODS as readonly string[]).includes(method);
}

/** A consent can be revoked once: a second revoke is a conflict, not a new revocation. */
export function canRevoke(consent: Pick<ConsentRow, 'status'>): boolean {
  return consent.status === 'active';
}
