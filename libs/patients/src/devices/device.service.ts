import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import {
  DEVICE_CLIENT_ID_PREFIX,
  deviceClientId,
  devicePublishTopics,
  type DeviceKind,
} from '@homeward/contracts';
import { AuditService } from '@homeward/identity';
import type { PatientsAuditAction } from '../patients.audit';
import { AccessPolicy, type Principal } from '@homeward/access';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import type { DeviceRow, DeviceViewRow } from '../patients.rows';
import { PatientService } from '../patients/patient.service';
import {
  DEVICE_BROKER_ACCESS,
  PlatformCheckedDeviceAccess,
  type DeviceBrokerAccess,
  type DeviceConnections,
} from './device-broker-access';
import { deviceStatus, type DeviceStatus } from './device-status';
import {
  BrokerAccessChangeError,
  BrokerProvisioningError,
  DeviceAlreadyAssignedError,
  DeviceStateConflictError,
} from './device.errors';
import { DeviceRepository } from './device.repository';

/** A device as device management shows it: its record, last contact, last status report and status. */
export interface DeviceView extends DeviceViewRow {
  status: DeviceStatus;
}

export interface RotatedSecret {
  device: DeviceView;
  /** Shown once; only its hash is stored. */
  secret: string;
  mqttUrl: string;
}

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

/** Device registration and management, and the broker's authentication and authorisation decisions. */
@Injectable()
export class DeviceService implements OnApplicationBootstrap {
  /** Broker URL handed to devices at registration. */
  private readonly publicMqttUrl: string;

  constructor(
    private readonly devices: DeviceRepository,
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly db: Database,
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

  /**
   * Brings every active device's broker rules up to date (devices provisioned before the
   * `ble` and `status` topics lack them), in the background: start-up does not wait for it.
   */
  onApplicationBootstrap(): void {
    if (this.brokerAccess instanceof PlatformCheckedDeviceAccess) return;
    this.updateBrokerRules().catch((error: unknown) =>
      this.logger.warn(
        { err: error },
        'Could not bring device roles on the broker up to date; will try again at the next start',
      ),
    );
  }

  private async updateBrokerRules(): Promise<void> {
    const ids = await this.devices.listActiveIds();
    const added = await this.brokerAccess.updateDeviceRules(ids);
    this.logger.info({ devices: ids.length, aclsAdded: added }, 'Device roles on the broker are up to date');
  }

  /** The embedded broker's connections, so deactivating or rotating a device closes its connection there. */
  attachBrokerConnections(connections: DeviceConnections): void {
    if (this.brokerAccess instanceof PlatformCheckedDeviceAccess)
      this.brokerAccess.attachConnections(connections);
  }

  /**
   * The caller's devices, in registration order. With `patientId`, that patient's (404 outside
   * the caller's scope). Audited as `device.list`.
   */
  async list(
    principal: Principal,
    filter: { patientId?: string; status?: DeviceStatus },
    page: { limit: number; offset: number },
  ): Promise<DeviceView[]> {
    if (filter.patientId) await this.patients.get(principal, filter.patientId, 'device.list');
    else await this.audit.record(principal, 'device.list', { resourceType: 'device' });
    const now = new Date();
    const rows = await this.devices.listInScope(
      this.access.patientScope(principal),
      { ...filter, silentSince: new Date(now.getTime() - this.offlineAfterMs) },
      page,
    );
    return rows.map((row) => this.view(row, now));
  }

  /** One device of the caller's scope; 404 otherwise. Audited as `device.read`. */
  async get(principal: Principal, deviceId: string): Promise<DeviceView> {
    const row = await this.findOrDeny(principal, deviceId, 'device.read');
    await this.audit.record(principal, 'device.read', {
      resourceType: 'device',
      resourceId: deviceId,
      patientId: row.patientId,
    });
    return this.view(row, new Date());
  }

  /**
   * The device in the caller's scope. Otherwise 404, never 403, so ids do not leak, and the
   * attempt is audited as denied; an allowed access is audited by the caller, with its change.
   */
  private async findOrDeny(
    principal: Principal,
    deviceId: string,
    action: PatientsAuditAction,
  ): Promise<DeviceViewRow> {
    const row = await this.devices.findInScope(this.access.patientScope(principal), deviceId);
    if (row) return row;
    await this.audit.record(principal, action, {
      resourceType: 'device',
      resourceId: deviceId,
      outcome: 'denied',
    });
    throw new ResourceNotFoundError('Device', deviceId);
  }

  /** The device as it is after a change the caller made (and that was audited with it). */
  private async reload(principal: Principal, deviceId: string): Promise<DeviceView> {
    const row = await this.devices.findInScope(this.access.patientScope(principal), deviceId);
    if (!row) throw new ResourceNotFoundError('Device', deviceId);
    return this.view(row, new Date());
  }

  /**
   * Deactivates a device: the broker refuses and disconnects it first, then the deactivation is
   * recorded, so nothing the device sends after the recorded time reaches ingest through the
   * broker (and ingest rejects anything that does as `device_deactivated`).
   */
  async deactivate(principal: Principal, deviceId: string, reason?: string): Promise<DeviceView> {
    const device = await this.findOrDeny(principal, deviceId, 'device.deactivate');
    if (device.revokedAt) throw new DeviceStateConflictError(deviceId, 'deactivated');
    await this.changeBrokerAccess(deviceId, () => this.brokerAccess.deactivateDevice(deviceId));
    const changed = await this.db.transaction(async (tx) => {
      const row = await this.devices.deactivate(deviceId, reason ?? null, tx);
      if (row) await this.recordChange(principal, 'device.deactivate', row, tx);
      return row;
    });
    if (!changed) throw new DeviceStateConflictError(deviceId, 'deactivated');
    // A connection that slipped in before the record (embedded broker) is closed now.
    await this.brokerAccess.disconnectDevice(deviceId);
    return this.reload(principal, deviceId);
  }

  /** Lets a deactivated device connect and report again, with the secret it had. */
  async reactivate(principal: Principal, deviceId: string): Promise<DeviceView> {
    const device = await this.findOrDeny(principal, deviceId, 'device.reactivate');
    if (!device.revokedAt) throw new DeviceStateConflictError(deviceId, 'active');
    await this.changeBrokerAccess(deviceId, async () => {
      await this.brokerAccess.updateDeviceRules([deviceId]);
      await this.brokerAccess.reactivateDevice(deviceId);
    });
    const changed = await this.db.transaction(async (tx) => {
      const row = await this.devices.reactivate(deviceId, tx);
      if (row) await this.recordChange(principal, 'device.reactivate', row, tx);
      return row;
    });
    if (!changed) throw new DeviceStateConflictError(deviceId, 'active');
    return this.reload(principal, deviceId);
  }

  /**
   * Gives the device a new secret, shown once: the broker takes it first (the old one stops
   * working and a connected device is disconnected), then its hash is stored. A deactivated
   * device stays deactivated.
   */
  async rotateSecret(principal: Principal, deviceId: string): Promise<RotatedSecret> {
    const device = await this.findOrDeny(principal, deviceId, 'device.rotate_secret');
    const secret = randomBytes(32).toString('base64url');
    await this.changeBrokerAccess(deviceId, async () => {
      await this.brokerAccess.updateDeviceRules([deviceId]);
      await this.brokerAccess.rotateSecret({ id: deviceId, secret });
    });
    await this.db.transaction(async (tx) => {
      await this.devices.setSecretHash(deviceId, sha256(secret), tx);
      await this.audit.record(
        principal,
        'device.rotate_secret',
        { resourceType: 'device', resourceId: deviceId, patientId: device.patientId },
        tx,
      );
    });
    await this.brokerAccess.disconnectDevice(deviceId);
    return { device: await this.reload(principal, deviceId), secret, mqttUrl: this.publicMqttUrl };
  }

  /**
   * Moves the device to another patient of the caller's scope (404 otherwise). Readings stored
   * so far keep the patient they were taken for; from ingest's next batch on, each reading goes
   * to the patient the device was with when it was measured (device_assignments).
   */
  async reassign(principal: Principal, deviceId: string, patientId: string): Promise<DeviceView> {
    const device = await this.findOrDeny(principal, deviceId, 'device.reassign');
    await this.patients.get(principal, patientId, 'device.reassign');
    if (device.patientId === patientId) throw new DeviceAlreadyAssignedError(deviceId, patientId);
    await this.db.transaction(async (tx) => {
      await this.devices.reassign(this.access.patientScope(principal), deviceId, patientId, tx);
      // With the new patient's row written by the lookup above, both patients' trails show the move.
      await this.audit.record(
        principal,
        'device.reassign',
        { resourceType: 'device', resourceId: deviceId, patientId: device.patientId },
        tx,
      );
    });
    return this.reload(principal, deviceId);
  }

  private get offlineAfterMs(): number {
    return this.config.DEVICE_OFFLINE_AFTER_MINUTES * 60_000;
  }

  private view(row: DeviceViewRow, now: Date): DeviceView {
    return { ...row, status: deviceStatus(row, now, this.offlineAfterMs) };
  }

  private async recordChange(
    principal: Principal,
    action: PatientsAuditAction,
    device: DeviceRow,
    tx: Parameters<AuditService['record']>[3],
  ): Promise<void> {
    await this.audit.record(
      principal,
      action,
      { resourceType: 'device', resourceId: device.id, patientId: device.patientId },
      tx,
    );
  }

  private async changeBrokerAccess(deviceId: string, change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } catch (error) {
      this.logger.error({ err: error, deviceId }, 'Broker refused a change to a device; nothing recorded');
      throw new BrokerAccessChangeError(deviceId);
    }
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
