import { Injectable } from '@nestjs/common';
import type { Principal } from '@homeward/access';
import { DeviceService } from '@homeward/patients';
import { DeviceMessageRepository } from '../ingest/device-message.repository';

type PatientDevice = Awaited<ReturnType<DeviceService['listForPatient']>>[number];

/** A patient's device with when the platform last heard from it. */
export interface DeviceWithContact {
  device: PatientDevice;
  /** When a message of the device was last stored; null if never. */
  lastContactAt: Date | null;
  /** The latest measurement time among its stored messages, by the device's clock; null if never. */
  lastMeasuredAt: Date | null;
  /** When a message with a whole-hours-off Bluetooth time stamp (`clock_suspect`) was last stored. */
  clockSuspectSeenAt: Date | null;
}

/** Devices as the people caring for a patient see them: registered, and last heard from. */
@Injectable()
export class DeviceContactService {
  constructor(
    private readonly devices: DeviceService,
    private readonly messages: DeviceMessageRepository,
  ) {}

  /** The patient's devices (404 outside the caller's scope; audited as `device.list`) with their last contact. */
  async listForPatient(principal: Principal, patientId: string): Promise<DeviceWithContact[]> {
    const devices = await this.devices.listForPatient(principal, patientId);
    const contacts = new Map(
      (await this.messages.lastContact(devices.map((device) => device.id))).map((row) => [row.deviceId, row]),
    );
    return devices.map((device) => ({
      device,
      lastContactAt: contacts.get(device.id)?.lastReceivedAt ?? null,
      lastMeasuredAt: contacts.get(device.id)?.lastMeasuredAt ?? null,
      clockSuspectSeenAt: contacts.get(device.id)?.clockSuspectSeenAt ?? null,
    }));
  }
}
