import { COMMON_PASSWORDS } from './common-passwords';

/** At least 12 characters, following NIST SP 800-63B §3.1.1.2 (length over composition rules). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

const COMMON = new Set(COMMON_PASSWORDS);

/**
 * Why a new password is refused, or undefined when it may be set. Applies when a password is set
 * (invitation, change), never at sign-in: an older, shorter password still signs in.
 */
export function passwordProblem(
  password: string,
  context: { email?: string } = {},
): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lowered = password.toLowerCase();
  // A single repeated character, or a list entry, is the first thing an attacker tries.
  if (COMMON.has(lowered) || new Set(lowered).size <= 2) return 'too_common';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lowered.includes(local)) return 'contains_email';
  return undefined;
}

/** What the person setting the password reads for each problem. */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters`,
  too_common: 'This password is too common; choose one that is not on lists of frequent passwords',
  contains_email: 'Do not use your email address in your password',
};
