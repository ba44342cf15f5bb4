import { BadRequestException, ConflictException } from '@nestjs/common';
import type { ConsentScope } from '@homeward/contracts';

/** The patient has no active consent for `scope`: what needs it is refused until one is recorded. */
export class NoConsentError extends ConflictException {
  constructor(readonly scope: ConsentScope) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'no_consent',
      scope,
      message: `The patient has no active ${scope} consent; record it first`,
    });
  }
}

export class ConsentAlreadyRevokedError extends ConflictException {
  constructor(readonly consentId: string) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'already_revoked',
      message: `Consent ${consentId} is already revoked`,
    });
  }
}

export class InvalidConsentError extends BadRequestException {
  constructor(detail: string) {
    super({ statusCode: 400, error: 'Bad Request', code: 'invalid_consent', message: detail });
  }
}
