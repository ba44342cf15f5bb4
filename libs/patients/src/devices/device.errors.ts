import { ConflictException, ServiceUnavailableException } from '@nestjs/common';

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

/** The device is already in the state the request asks for (deactivating a deactivated device, say). */
export class DeviceStateConflictError extends ConflictException {
  constructor(
    readonly deviceId: string,
    readonly state: 'active' | 'deactivated',
  ) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: state === 'deactivated' ? 'device_already_deactivated' : 'device_already_active',
      message: `Device ${deviceId} is already ${state}`,
      deviceId,
    });
  }
}

/** The device already reports for the patient it was asked to move to. */
export class DeviceAlreadyAssignedError extends ConflictException {
  constructor(
    readonly deviceId: string,
    readonly patientId: string,
  ) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'device_already_assigned',
      message: `Device ${deviceId} already reports for patient ${patientId}`,
      deviceId,
      patientId,
    });
  }
}

/** The broker did not take a change to a device's access, so nothing was recorded. */
export class BrokerAccessChangeError extends ServiceUnavailableException {
  constructor(readonly deviceId: string) {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'broker_access_change_failed',
      message:
        'The MQTT broker did not accept the change to the device’s access; nothing was changed. Try again.',
      deviceId,
    });
  }
}
