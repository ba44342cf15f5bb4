import { TooManyRequestsError } from '@homeward/platform';

/** Every password-hashing slot is busy and its queue full (PasswordHasher). */
export class SignInBusyError extends TooManyRequestsError {
  constructor() {
    super('sign_in_busy', 'Too many sign-ins at once; try again in a moment', 1);
  }
}

/** Too many failed sign-ins for this email, known or not (LoginLockout). */
export class LoginLockedError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number) {
    super(
      'login_locked',
      'Too many failed sign-ins for this account; try again later',
      Math.max(1, retryAfterSeconds),
    );
  }
}
