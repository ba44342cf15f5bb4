import { TooManyRequestsError } from '@homeward/platform';

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
