import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import {
  DEVICE_CLIENT_ID_PREFIX,
  deviceClientId,
  devicePublishTopics,
  type DeviceKind,
} from '@homeward/contracts';
import { AccessPolicy, type Principal } from '@homeward/identity';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { DeviceRow } from '../patients.rows';
import { PatientService } from '../patients/patient.service';
import { DEVICE_BROKER_ACCESS, type DeviceBrokerAccess } from './device-broker-access';
import { BrokerProvisioningError } from './device.errors';
import { DeviceRepository } from './device.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RegisteredDevice {
  device: DeviceRow;
  /** Shown once; only its hash is stored. */
  secret: string;
  mqttUrl: string;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isDeviceClientId(deviceId: string, clientId: string): boolean {
  return clientId === deviceClientId(deviceId);
}

/** Service accounts own every client id outside the devices' space (`ingest-0`, ...). */
export function isServiceClientId(clientId: string): boolean {
  return (
    clientId.length > 0 && !clientId.toLowerCase().startsWith(DEVICE_CLIENT_ID_PREFIX) && !UUID.test(clientId)
  );
}

/** Device registration, and the broker's authentication and authorisation decisions. */
@Injectable()
export class DeviceService {
  /** Broker URL handed to devices at registration. */
  private readonly publicMqttUrl: string;

  constructor(
    private readonly devices: DeviceRepository,
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
    private readonly config: AppConfig,
    @Inject(DEVICE_BROKER_ACCESS) private readonly brokerAccess: DeviceBrokerAccess,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.publicMqttUrl = config.MQTT_PUBLIC_URL ?? config.MQTT_URL ?? `mqtt://localhost:${config.MQTT_PORT}`;
  }

  async register(
    principal: Principal,
    patientId: string,
    input: { kind: DeviceKind; label?: string },
  ): Promise<RegisteredDevice> {
    await this.patients.get(principal, patientId, 'device.register');
    const secret = randomBytes(32).toString('base64url');
    const device = await this.devices.create({
      organizationId: principal.organizationId,
      patientId,
      kind: input.kind,
      label: input.label ?? null,
      secretHash: sha256(secret),
    });
    try {
      await this.brokerAccess.provisionDevice({ id: device.id, secret });
    } catch (error) {
      // A device the broker would refuse is no device: undo the registration.
      this.logger.error(
        { err: error, deviceId: device.id },
        'Broker refused a new device; registration undone',
      );
      await this.devices.delete(device.id);
      throw new BrokerProvisioningError();
    }
    return { device, secret, mqttUrl: this.publicMqttUrl };
  }

  async listForPatient(principal: Principal, patientId: string): Promise<DeviceRow[]> {
    await this.patients.get(principal, patientId, 'device.list');
    return this.devices.listForPatient(this.access.patientScope(principal), patientId);
  }

  /** Whether `secret` is the secret of the active device `deviceId`. */
  async hasSecret(deviceId: string, secret: string): Promise<boolean> {
    const credential = await this.devices.findCredential(deviceId);
    return Boolean(credential && !credential.revokedAt && sameSecret(sha256(secret), credential.secretHash));
  }

  isServiceAccount(username: string): boolean {
    return Boolean(this.config.MQTT_USERNAME) && username === this.config.MQTT_USERNAME;
  }

  /**
   * MQTT CONNECT check: the platform's service account, or a registered, unrevoked device.
   * The client id is bound to the credentials (a broker hands a persistent session to whoever
   * presents its client id): a device connects only as `device-{its id}`, and the service
   * account never inside the devices' client-id space, so no device can take over the
   * ingest consumer's session or knock another device offline.
   */
  async authenticateMqtt(username: string, password: string, clientId: string): Promise<boolean> {
    if (this.isServiceAccount(username)) {
      if (!isServiceClientId(clientId)) return false;
      return sameSecret(sha256(password), sha256(this.config.MQTT_PASSWORD ?? ''));
    }
    if (!UUID.test(username) || !isDeviceClientId(username, clientId)) return false;
    const credential = await this.devices.findCredential(username.toLowerCase());
    if (!credential || credential.revokedAt) return false;
    return sameSecret(sha256(password), credential.secretHash);
  }

  /** A device may publish only to its own topics (devicePublishTopics). */
  canPublish(username: string, topic: string): boolean {
    if (this.isServiceAccount(username)) return true;
    if (!UUID.test(username)) return false;
    return devicePublishTopics(username.toLowerCase()).includes(topic);
  }

  /** A device may subscribe only below its own topic (receipts, commands). */
  canSubscribe(username: string, topic: string): boolean {
    if (this.isServiceAccount(username)) return true;
    return UUID.test(username) && topic.startsWith(`v1/devices/${username.toLowerCase()}/`);
  }
}
