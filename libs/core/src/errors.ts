import {
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';

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

export class DuplicateResourceError extends ConflictException {
  constructor(
    readonly resource: string,
    detail: string,
  ) {
    super({ statusCode: 409, error: 'Conflict', code: 'duplicate', message: detail, resource });
  }
}

/** The broker did not take a new device's credentials, so the device was not registered. */
export class BrokerProvisioningError extends ServiceUnavailableException {
  constructor() {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'broker_provisioning_failed',
      message:
        'The MQTT broker did not accept the device’s credentials; the device was not registered. Try again.',
    });
  }
}
