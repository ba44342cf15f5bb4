import { ServiceUnavailableException } from '@nestjs/common';

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
