import { BadRequestException, ConflictException, UnauthorizedException } from '@nestjs/common';

/** The password was right; the account has an authenticator: send its code (or a recovery code). */
export class MfaRequiredError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'mfa_required',
      message: 'Enter the authentication code from your authenticator app',
    });
  }
}

/**
 * The password was right, but the organisation requires a second factor the user has not set up.
 * The enrollment token works only on POST /api/auth/mfa/enroll and /confirm.
 */
export class MfaEnrollmentRequiredError extends UnauthorizedException {
  constructor(enrollmentToken: string, expiresIn: number) {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'mfa_enrollment_required',
      message: 'Your organisation requires an authenticator app: set one up to sign in',
      enrollmentToken,
      expiresIn,
    });
  }
}

/** 400, not 401: the session is fine, only the code is wrong (a 401 would sign the console out). */
export class InvalidMfaCodeError extends BadRequestException {
  constructor() {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'invalid_mfa_code',
      message: 'The authentication code is wrong or has expired',
    });
  }
}

export class MfaAlreadyEnrolledError extends ConflictException {
  constructor() {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'mfa_already_enrolled',
      message: 'An authenticator is already set up; an administrator can reset it',
    });
  }
}

export class MfaNotPendingError extends ConflictException {
  constructor() {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'mfa_not_pending',
      message: 'Start setting up an authenticator first',
    });
  }
}

/** Requiring a second factor would sign out the admin who asks: they set theirs up first. */
export class MfaNotEnrolledError extends ConflictException {
  constructor() {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'mfa_not_enrolled',
      message: 'Set up your own authenticator before requiring one of everyone',
    });
  }
}
