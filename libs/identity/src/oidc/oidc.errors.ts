import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';

export class OidcNotConfiguredError extends NotFoundException {
  constructor() {
    super({
      statusCode: 404,
      error: 'Not Found',
      code: 'oidc_not_configured',
      message: 'Single sign-on is not set up for this organisation',
    });
  }
}

/** An issuer the platform will not talk to (not https, or not a URL). */
export class OidcIssuerInvalidError extends BadRequestException {
  constructor(problem: string) {
    super({ statusCode: 400, error: 'Bad Request', code: 'oidc_issuer_invalid', message: problem });
  }
}

/** A first configuration without a client secret. */
export class OidcClientSecretRequiredError extends BadRequestException {
  constructor() {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'oidc_client_secret_required',
      message: 'clientSecret is required the first time single sign-on is set up',
    });
  }
}

/** A handoff code that is unknown, used or expired, or whose user was disabled meanwhile. */
export class InvalidSsoCodeError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'invalid_sso_code',
      message: 'This single sign-on has expired or was already used; sign in again',
    });
  }
}
