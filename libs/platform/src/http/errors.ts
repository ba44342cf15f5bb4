import { ConflictException, HttpException, NotFoundException } from '@nestjs/common';

/** A record that does not exist, or that the caller's organisation may not see: both read as 404. */
export class ResourceNotFoundError extends NotFoundException {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super({
      statusCode: 404,
      error: 'Not Found',
      code: 'not_found',
      message: `${resource} ${id} not found`,
      resource,
      id,
    });
  }
}

export class DuplicateResourceError extends ConflictException {
  constructor(
    readonly resource: string,
    detail: string,
  ) {
    super({ statusCode: 409, error: 'Conflict', code: 'duplicate', message: detail, resource });
  }
}

/**
 * 429 with `Retry-After` (the exception filter writes the header from `retryAfterSeconds`): the
 * server refuses work it cannot take now rather than queueing it without bound.
 */
export class TooManyRequestsError extends HttpException {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: 429, error: 'Too Many Requests', code, message, retryAfterSeconds }, 429);
  }
}
