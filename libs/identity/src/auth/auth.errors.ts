import { UnauthorizedException } from '@nestjs/common';

export class InvalidCredentialsError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'invalid_credentials',
      message: 'Invalid email or password',
    });
  }
}

/** A valid token whose user was disabled (or removed) since it was issued. */
export class SessionUserGoneError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'session_user_gone',
      message: 'This account is no longer active; sign in again',
    });
  }
}

/** A refresh token that is unknown, expired, revoked, reused or whose user is disabled: sign in again. */
export class InvalidRefreshTokenError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'invalid_refresh_token',
      message: 'This session has ended; sign in again',
    });
  }
}
