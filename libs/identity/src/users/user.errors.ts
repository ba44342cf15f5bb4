import { BadRequestException, ConflictException, GoneException, NotFoundException } from '@nestjs/common';
import { PASSWORD_PROBLEM_MESSAGES, type PasswordProblem } from './password-policy';

export class EmailTakenError extends ConflictException {
  constructor() {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'email_taken',
      message: 'A user with this email already exists',
    });
  }
}

export class OrganizationExistsError extends ConflictException {
  constructor(slug: string) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'organization_exists',
      message: `Organisation ${slug} already exists`,
    });
  }
}

/** Disabling or demoting the organisation's last active admin would leave nobody to manage it. */
export class LastAdminError extends ConflictException {
  constructor() {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'last_admin',
      message: 'The organisation needs at least one active admin: make someone else admin first',
    });
  }
}

export class UserDisabledError extends ConflictException {
  constructor() {
    super({ statusCode: 409, error: 'Conflict', code: 'user_disabled', message: 'Enable the user first' });
  }
}

export class InvitationNotFoundError extends NotFoundException {
  constructor() {
    super({
      statusCode: 404,
      error: 'Not Found',
      code: 'invitation_not_found',
      message: 'This invitation link is not valid',
    });
  }
}

export class InvitationUsedError extends GoneException {
  constructor() {
    super({
      statusCode: 410,
      error: 'Gone',
      code: 'invitation_used',
      message: 'This invitation was already used',
    });
  }
}

/** Expired, replaced by a newer link, or its user disabled: ask an admin for a new one. */
export class InvitationExpiredError extends GoneException {
  constructor() {
    super({
      statusCode: 410,
      error: 'Gone',
      code: 'invitation_expired',
      message: 'This invitation has expired; ask your administrator for a new one',
    });
  }
}

export class WeakPasswordError extends BadRequestException {
  constructor(readonly problem: PasswordProblem) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'weak_password',
      reason: problem,
      message: PASSWORD_PROBLEM_MESSAGES[problem],
    });
  }
}

/** 400, not 401: the session is fine, only the confirmation is wrong (a 401 would sign the console out). */
export class WrongPasswordError extends BadRequestException {
  constructor() {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'wrong_password',
      message: 'The current password is wrong',
    });
  }
}
