import { ConflictException, NotFoundException } from '@nestjs/common';

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
