import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ConsentScope, DeviceKind, UserRole } from '@homeward/contracts';
import { OrganizationService, UserService, hashPassword } from '@homeward/identity';
import { CareTeamService, ConsentService, type Principal } from '@homeward/access';
import {
  DEFAULT_RULES,
  PatientBaselineService,
  ProtocolService,
  describeBreach,
  type ProtocolKey,
} from '@homeward/alerting';
import { DeviceService, PatientService } from '@homeward/patients';
import { HISTORY_DAYS, demoHistory, pastAlerts, type DemoBaseline, type PastEpisode } from './demo-history';
import { DemoHistoryRepository } from './demo-history.repository';

/** What every demo patient has agreed to: monitored, and seen by video. */
const DEMO_CONSENTS: readonly ConsentScope[] = ['rpm_monitoring', 'video_visits'];

type DeviceRow = Awaited<ReturnType<DeviceService['listForPatient']>>[number];

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEMO_ORGANIZATION = { slug: 'demo', name: 'Demo Community Care' };

/** The demo's one care team: its coordinator and clinician, and every demo patient. */
export const DEMO_CARE_TEAM = 'Community nursing';
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
  /** Their history and the simulator's live readings both start from it. */
  baseline: DemoBaseline;
  protocols?: ProtocolKey[];
  /** Their history ends this many days ago and nothing simulates them. */
  stoppedDaysAgo?: number;
  /** Mornings whose blood pressure raised a grade 2 alert, which the care team worked and resolved. */
  pastEpisodes?: PastEpisode[];
}> = [
  {
    demoKey: 'maria-alvarez',
    givenName: 'Maria',
    familyName: 'Alvarez',
    birthDate: '1948-03-14',
    timeZone: 'America/New_York',
    baseline: { systolic: 142, diastolic: 88, heartRate: 74, weightKg: 68.4, spo2: 97 },
    pastEpisodes: [
      { daysAgo: 19, systolic: 168, diastolic: 102 },
      { daysAgo: 6, systolic: 164, diastolic: 98 },
    ],
  },
  {
    demoKey: 'james-okafor',
    givenName: 'James',
    familyName: 'Okafor',
    birthDate: '1955-09-02',
    timeZone: 'America/Chicago',
    baseline: { systolic: 128, diastolic: 80, heartRate: 68, weightKg: 84.2, spo2: 97 },
    pastEpisodes: [{ daysAgo: 23, systolic: 162, diastolic: 101 }],
  },
  // Heart failure: the simulator's `heart-failure-weight-gain` scenario weighs her (the third
  // patient); her history stays at her dry weight (the baseline), so the live gain shows as one.
  {
    demoKey: 'ruth-lindqvist',
    givenName: 'Ruth',
    familyName: 'Lindqvist',
    birthDate: '1940-12-21',
    timeZone: 'America/Chicago',
    baseline: { systolic: 118, diastolic: 70, heartRate: 78, weightKg: 71.2, spo2: 96.5 },
    protocols: ['heart_failure'],
  },
  {
    demoKey: 'wei-chen',
    givenName: 'Wei',
    familyName: 'Chen',
    birthDate: '1962-06-30',
    timeZone: 'America/Los_Angeles',
    baseline: { systolic: 124, diastolic: 78, heartRate: 70, weightKg: 77.5, spo2: 95 },
    // COPD, and his readings stopped three days ago: the protocol's 48-hour missed-SpO2 rule
    // raises a missed-reading alert (the simulator leaves his devices silent).
    protocols: ['copd'],
    stoppedDaysAgo: 3,
  },
  {
    demoKey: 'samuel-brooks',
    givenName: 'Samuel',
    familyName: 'Brooks',
    birthDate: '1951-01-17',
    timeZone: 'America/Denver',
    baseline: { systolic: 136, diastolic: 84, heartRate: 72, weightKg: 92.1, spo2: 96 },
  },
  {
    demoKey: 'aisha-rahman',
    givenName: 'Aisha',
    familyName: 'Rahman',
    birthDate: '1958-11-05',
    timeZone: 'America/New_York',
    baseline: { systolic: 122, diastolic: 76, heartRate: 66, weightKg: 63.3, spo2: 98 },
  },
];
const DEMO_DEVICE_KINDS: DeviceKind[] = ['bp_cuff', 'scale', 'pulse_oximeter'];

export interface DemoDevice {
  id: string;
  secret: string;
  kind: DeviceKind;
  patientId: string;
  label: string;
  /** For the simulator (devices file): live readings continue the seeded history. */
  baseline?: DemoBaseline;
  /** False for a patient whose readings stopped: the simulator leaves the device silent. */
  live?: boolean;
}

/** Creates the demo organisation, its users and (optionally) its patients and their devices. */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly users: UserService,
    private readonly patients: PatientService,
    private readonly consents: ConsentService,
    private readonly deviceService: DeviceService,
    private readonly protocols: ProtocolService,
    private readonly history: DemoHistoryRepository,
    private readonly baselines: PatientBaselineService,
    private readonly careTeams: CareTeamService,
  ) {}

  /** The demo clinician, who sets the heart-failure patient's dry weight (a clinical decision). */
  private clinicianId: string | undefined;
  /** The demo coordinator, who acknowledged the past alerts. */
  private coordinatorId: string | undefined;

  async seedUsers(password: string): Promise<Principal> {
    const organization = await this.organizations.ensure(DEMO_ORGANIZATION.slug, DEMO_ORGANIZATION.name);
    const passwordHash = await hashPassword(password);
    let coordinator: Principal | undefined;
    const staff: string[] = [];
    for (const user of DEMO_USERS) {
      const row = await this.users.upsert({ ...user, organizationId: organization.id, passwordHash });
      if (user.role !== 'admin') staff.push(row.id);
      if (user.role === 'coordinator') {
        coordinator = { userId: row.id, organizationId: organization.id, role: row.role };
        this.coordinatorId = row.id;
      }
      if (user.role === 'clinician') this.clinicianId = row.id;
    }
    // Demo patients join the coordinator's teams as they are registered (PatientService).
    await this.careTeams.ensureTeamWithMembers(organization.id, DEMO_CARE_TEAM, staff);
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
      const { protocols, baseline, stoppedDaysAgo, ...identity } = template;
      const live = stoppedDaysAgo === undefined;
      const patient = await this.patients.ensureDemoPatient(coordinator, identity);
      for (const scope of DEMO_CONSENTS)
        await this.consents.ensureConsent(coordinator, patient.id, { scope, method: 'written' });
      if (protocols) await this.protocols.setForPatient(coordinator, patient.id, protocols);
      const label = `${patient.givenName} ${patient.familyName}`;
      const active = (await this.deviceService.listForPatient(coordinator, patient.id)).filter(
        (device) => !device.revokedAt,
      );
      const own: DemoDevice[] = [];
      for (const kind of DEMO_DEVICE_KINDS) {
        const kept = await this.reusable(previous, active, patient.id, kind);
        if (kept) {
          own.push({ ...kept, label, baseline, live });
          continue;
        }
        const { device, secret } = await this.deviceService.register(coordinator, patient.id, {
          kind,
          label: `Demo ${kind}`,
        });
        own.push({ id: device.id, secret, kind, patientId: patient.id, label, baseline, live });
      }
      await this.seedHistory(coordinator, patient.id, template, own);
      devices.push(...own);
    }
    return devices;
  }

  /**
   * 30 days of past readings, once per patient: a restart finds them and adds nothing. The
   * patient's protocols count from the start of that history, as if set then: a missed-reading
   * gap is measured from the later of the last reading and the protocol's start.
   */
  private async seedHistory(
    coordinator: Principal,
    patientId: string,
    template: {
      demoKey: string;
      baseline: DemoBaseline;
      timeZone: string;
      stoppedDaysAgo?: number;
      protocols?: ProtocolKey[];
      pastEpisodes?: PastEpisode[];
    },
    devices: readonly DemoDevice[],
  ): Promise<void> {
    if (await this.history.hasHistory(patientId)) return;
    const now = new Date();
    // Stops short of now, so the first live reading is the newest.
    const historyNow = new Date(now.getTime() - (template.stoppedDaysAgo ?? 0) * DAY_MS - 60_000);
    const episodes = template.pastEpisodes ?? [];
    const readings = demoHistory({
      seed: template.demoKey,
      baseline: template.baseline,
      timeZone: template.timeZone,
      devices: new Map(devices.map((device) => [device.kind, device.id])),
      now: historyNow,
      pastEpisodes: episodes,
    });
    const batchId = randomUUID();
    // The alerts before the readings: the readings' batch is what marks the history as done.
    await this.seedPastAlerts(
      patientId,
      batchId,
      pastAlerts(readings, episodes, { now: historyNow, timeZone: template.timeZone }),
    );
    await this.history.insert(batchId, patientId, readings);
    await this.history.backdateProtocols(patientId, new Date(now.getTime() - (HISTORY_DAYS + 1) * DAY_MS));
    // Heart failure: her history is at her dry weight, which her clinician has recorded.
    if (template.protocols?.includes('heart_failure'))
      await this.baselines.set(coordinator, patientId, {
        dryWeightKg: template.baseline.weightKg,
        setBy: this.clinicianId,
        note: 'Demo: dry weight at discharge',
      });
  }

  /** Past grade 2 blood-pressure alerts, described by the rule that raises them live. */
  private async seedPastAlerts(
    patientId: string,
    batchId: string,
    alerts: ReturnType<typeof pastAlerts>,
  ): Promise<void> {
    const rule = DEFAULT_RULES.find((candidate) => candidate.id === 'default.bp.grade2');
    if (!rule) return;
    const actors = { coordinator: this.coordinatorId, clinician: this.clinicianId };
    for (const alert of alerts) {
      const severity = 'severity' in rule.definition ? rule.definition.severity : 'warning';
      await this.history.insertPastAlert(patientId, batchId, {
        ...alert,
        rule: { id: rule.id, kind: rule.definition.kind, description: rule.description, group: rule.group },
        severity,
        summary: describeBreach(rule.definition, alert.trigger),
        actors,
      });
    }
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
