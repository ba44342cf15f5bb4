import { Injectable } from '@nestjs/common';
import type { DeviceKind } from '@homeward/contracts';
import {
  DeviceRepository,
  OrganizationRepository,
  PatientRepository,
  UserRepository,
  type UserRole,
} from '@homeward/db';
import { hashPassword } from '../auth/password';
import { DeviceService } from '../devices/device.service';
import type { Principal } from '../principal';

export const DEMO_ORGANIZATION = { slug: 'demo', name: 'Demo Community Care' };
export const DEMO_USERS: ReadonlyArray<{ email: string; displayName: string; role: UserRole }> = [
  { email: 'coordinator@demo.homeward.test', displayName: 'Casey Coordinator', role: 'coordinator' },
  { email: 'clinician@demo.homeward.test', displayName: 'Dr. Morgan Clinician', role: 'clinician' },
  { email: 'admin@demo.homeward.test', displayName: 'Avery Admin', role: 'admin' },
];

const DEMO_PATIENTS = [
  { givenName: 'Maria', familyName: 'Alvarez', birthDate: '1948-03-14' },
  { givenName: 'James', familyName: 'Okafor', birthDate: '1955-09-02' },
  { givenName: 'Ruth', familyName: 'Lindqvist', birthDate: '1940-12-21' },
  { givenName: 'Wei', familyName: 'Chen', birthDate: '1962-06-30' },
  { givenName: 'Samuel', familyName: 'Brooks', birthDate: '1951-01-17' },
  { givenName: 'Aisha', familyName: 'Rahman', birthDate: '1958-11-05' },
];
const DEMO_DEVICE_KINDS: DeviceKind[] = ['bp_cuff', 'scale', 'pulse_oximeter'];

export interface DemoDevice {
  id: string;
  secret: string;
  kind: DeviceKind;
  patientId: string;
  label: string;
}

/** Creates the demo organisation, its users and (optionally) patients with fresh device credentials. */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: UserRepository,
    private readonly patients: PatientRepository,
    private readonly devices: DeviceRepository,
    private readonly deviceService: DeviceService,
  ) {}

  async seedUsers(password: string): Promise<Principal> {
    const organization = await this.organizations.upsert(DEMO_ORGANIZATION.slug, DEMO_ORGANIZATION.name);
    const passwordHash = await hashPassword(password);
    let coordinator: Principal | undefined;
    for (const user of DEMO_USERS) {
      const row = await this.users.upsert({ ...user, organizationId: organization.id, passwordHash });
      if (user.role === 'coordinator')
        coordinator = { userId: row.id, organizationId: organization.id, role: row.role };
    }
    return coordinator!;
  }

  /**
   * Ensures `count` demo patients exist and gives each a fresh set of devices (earlier demo
   * credentials are revoked: secrets are stored hashed and cannot be shown again).
   */
  async seedPatients(coordinator: Principal, count: number): Promise<DemoDevice[]> {
    const existing = await this.patients.listInOrganization(coordinator.organizationId, count, 0);
    const patients = [...existing];
    for (const template of DEMO_PATIENTS.slice(existing.length, count)) {
      patients.push(
        await this.patients.create({
          ...template,
          organizationId: coordinator.organizationId,
          createdBy: coordinator.userId,
        }),
      );
    }
    const devices: DemoDevice[] = [];
    for (const patient of patients.slice(0, count)) {
      await this.devices.revokeForPatient(patient.id);
      for (const kind of DEMO_DEVICE_KINDS) {
        const { device, secret } = await this.deviceService.register(coordinator, patient.id, {
          kind,
          label: `Demo ${kind}`,
        });
        devices.push({
          id: device.id,
          secret,
          kind,
          patientId: patient.id,
          label: `${patient.givenName} ${patient.familyName}`,
        });
      }
    }
    return devices;
  }
}
