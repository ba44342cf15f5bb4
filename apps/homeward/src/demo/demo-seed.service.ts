import { Injectable } from '@nestjs/common';
import type { DeviceKind, UserRole } from '@homeward/contracts';
import { OrganizationService, UserService, hashPassword, type Principal } from '@homeward/identity';
import { ProtocolService, type ProtocolKey } from '@homeward/alerting';
import { DeviceService, PatientService } from '@homeward/patients';

type DeviceRow = Awaited<ReturnType<DeviceService['listForPatient']>>[number];

export const DEMO_ORGANIZATION = { slug: 'demo', name: 'Demo Community Care' };
export const DEMO_USERS: ReadonlyArray<{ email: string; displayName: string; role: UserRole }> = [
  { email: 'coordinator@demo.homeward.test', displayName: 'Casey Coordinator', role: 'coordinator' },
  { email: 'clinician@demo.homeward.test', displayName: 'Dr. Morgan Clinician', role: 'clinician' },
  { email: 'admin@demo.homeward.test', displayName: 'Avery Admin', role: 'admin' },
];

// `demoKey` marks a patient as the demo's own (patients.demo_key): the seed finds its patients
// by it and never touches a patient without one.
const DEMO_PATIENTS: ReadonlyArray<{
  demoKey: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** Their homes span the US time zones, so the console shows patients' local times. */
  timeZone: string;
  protocols?: ProtocolKey[];
}> = [
  {
    demoKey: 'maria-alvarez',
    givenName: 'Maria',
    familyName: 'Alvarez',
    birthDate: '1948-03-14',
    timeZone: 'America/New_York',
  },
  {
    demoKey: 'james-okafor',
    givenName: 'James',
    familyName: 'Okafor',
    birthDate: '1955-09-02',
    timeZone: 'America/Chicago',
  },
  // Heart failure: the simulator's `heart-failure-weight-gain` scenario weighs her (the third patient).
  {
    demoKey: 'ruth-lindqvist',
    givenName: 'Ruth',
    familyName: 'Lindqvist',
    birthDate: '1940-12-21',
    timeZone: 'America/Chicago',
    protocols: ['heart_failure'],
  },
  {
    demoKey: 'wei-chen',
    givenName: 'Wei',
    familyName: 'Chen',
    birthDate: '1962-06-30',
    timeZone: 'America/Los_Angeles',
  },
  {
    demoKey: 'samuel-brooks',
    givenName: 'Samuel',
    familyName: 'Brooks',
    birthDate: '1951-01-17',
    timeZone: 'America/Denver',
  },
  {
    demoKey: 'aisha-rahman',
    givenName: 'Aisha',
    familyName: 'Rahman',
    birthDate: '1958-11-05',
    timeZone: 'America/New_York',
  },
];
const DEMO_DEVICE_KINDS: DeviceKind[] = ['bp_cuff', 'scale', 'pulse_oximeter'];

export interface DemoDevice {
  id: string;
  secret: string;
  kind: DeviceKind;
  patientId: string;
  label: string;
}

/** Creates the demo organisation, its users and (optionally) its patients and their devices. */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly users: UserService,
    private readonly patients: PatientService,
    private readonly deviceService: DeviceService,
    private readonly protocols: ProtocolService,
  ) {}

  async seedUsers(password: string): Promise<Principal> {
    const organization = await this.organizations.ensure(DEMO_ORGANIZATION.slug, DEMO_ORGANIZATION.name);
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
   * Ensures the first `count` demo patients exist, each with one device of every demo kind.
   * A device from `previous` (the last run's credentials) is kept when it is still active on
   * that patient and its secret still authenticates; only missing ones are registered. Secrets
   * are stored hashed, so `previous` is the only place they can come from.
   */
  async seedPatients(
    coordinator: Principal,
    count: number,
    previous: readonly DemoDevice[] = [],
  ): Promise<DemoDevice[]> {
    const devices: DemoDevice[] = [];
    for (const template of DEMO_PATIENTS.slice(0, count)) {
      const { protocols, ...identity } = template;
      const patient = await this.patients.ensureDemoPatient(coordinator, identity);
      if (protocols) await this.protocols.setForPatient(coordinator, patient.id, protocols);
      const label = `${patient.givenName} ${patient.familyName}`;
      const active = (await this.deviceService.listForPatient(coordinator, patient.id)).filter(
        (device) => !device.revokedAt,
      );
      for (const kind of DEMO_DEVICE_KINDS) {
        const kept = await this.reusable(previous, active, patient.id, kind);
        if (kept) {
          devices.push({ ...kept, label });
          continue;
        }
        const { device, secret } = await this.deviceService.register(coordinator, patient.id, {
          kind,
          label: `Demo ${kind}`,
        });
        devices.push({ id: device.id, secret, kind, patientId: patient.id, label });
      }
    }
    return devices;
  }

  private async reusable(
    previous: readonly DemoDevice[],
    active: readonly DeviceRow[],
    patientId: string,
    kind: DeviceKind,
  ): Promise<DemoDevice | undefined> {
    for (const candidate of previous) {
      if (candidate.patientId !== patientId || candidate.kind !== kind) continue;
      if (!active.some((device) => device.id === candidate.id && device.kind === kind)) continue;
      if (await this.deviceService.hasSecret(candidate.id, candidate.secret)) return candidate;
    }
    return undefined;
  }
}
