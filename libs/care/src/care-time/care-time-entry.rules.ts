import { isStorableText } from '@homeward/contracts';

export const MAX_CARE_TIME_SECONDS = 86_400;
export const MAX_CARE_TIME_NOTE_LENGTH = 2000;
export const MAX_VOID_REASON_LENGTH = 500;
/** How far ahead of the server's clock performedAt may be: the caller's clock may run fast. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** How far back an entry may be logged. */
export const MAX_CARE_TIME_AGE_MS = 366 * 24 * 3600_000;

/** Why a care-time entry is refused: a code and a message the caller can act on. */
export interface CareTimeRefusal {
  code: string;
  message: string;
}

/** The checks the ledger makes on an entry whatever route it came by; null when acceptable. */
export function checkCareTimeEntry(
  entry: { seconds: number; performedAt: Date; note?: string | null },
  now: Date,
): CareTimeRefusal | null {
  if (!Number.isInteger(entry.seconds) || entry.seconds < 1 || entry.seconds > MAX_CARE_TIME_SECONDS)
    return {
      code: 'care_time_seconds',
      message: `seconds must be a whole number between 1 and ${MAX_CARE_TIME_SECONDS} (24 hours)`,
    };
  const at = entry.performedAt.getTime();
  if (Number.isNaN(at))
    return { code: 'care_time_performed_at', message: 'performedAt must be an ISO 8601 date-time' };
  if (at > now.getTime() + CLOCK_SKEW_MS)
    return { code: 'care_time_performed_at', message: 'performedAt must not be in the future' };
  if (at < now.getTime() - MAX_CARE_TIME_AGE_MS)
    return {
      code: 'care_time_performed_at',
      message: 'performedAt must be within the last year',
    };
  if (entry.note !== undefined && entry.note !== null) {
    const refused = checkText('note', entry.note, MAX_CARE_TIME_NOTE_LENGTH);
    if (refused) return refused;
  }
  return null;
}

/**
 * A free-text field: at most `max` characters and storable (the HTTP pipeline refuses NUL before
 * here; the service checks again for callers that are not HTTP, such as telehealth).
 */
export function checkText(field: string, text: string, max: number): CareTimeRefusal | null {
  if (!isStorableText(text))
    return {
      code: `care_time_${field}`,
      message: `${field} must not contain NUL characters or unpaired UTF-16 surrogates`,
    };
  if (text.length > max)
    return { code: `care_time_${field}`, message: `${field} must be at most ${max} characters` };
  return null;
}
