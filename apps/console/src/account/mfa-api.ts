import { api, ApiError, unwrap } from '../api/client';

/** The code of an API error body (`mfa_required`, `invalid_mfa_code`...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body)
    return typeof error.body.code === 'string' ? error.body.code : undefined;
  return undefined;
}

/**
 * The enrolment calls, with the session's token, or with the enrollment token sign-in answered
 * when the organisation requires an authenticator the user has not set up yet.
 */
export function mfaEnrolmentCalls(enrollmentToken?: string) {
  const headers = enrollmentToken ? { Authorization: `Bearer ${enrollmentToken}` } : undefined;
  return {
    enroll: () => unwrap(api.POST('/api/auth/mfa/enroll', { headers })),
    confirm: (code: string) => unwrap(api.POST('/api/auth/mfa/confirm', { headers, body: { code } })),
  };
}
