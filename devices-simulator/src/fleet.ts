import type { DeliveryStats } from './delivery-stats';
import type { ResolvedDevice } from './devices-file';
import type { Logger } from './logger';
import type { MalformedKind } from './malformed';
import type { TransportFactory } from './mqtt-transport';
import { createPatientProfile, type PatientProfile } from './patient-profile';
import { createConditionTraits, type Condition, type ConditionTraits } from './physiology';
import { ReadingGenerator } from './reading-generator';
import { remeasureDelayMs, type ScenarioEffect } from './scenarios';
import { SimulatedDevice, type HubOptions } from './simulated-device';

/** How every device of a run behaves; the CLI and the load driver both build devices from it. */
export interface FleetOptions {
  seed: string;
  startedAt: Date;
  logger: Logger;
  stats: DeliveryStats;
  /** Mean time between one device's measurements; undefined when paced from outside (load). */
  intervalMs?: number;
  count?: number;
  /** Patients take these conditions in turn, in the order they first appear; empty: baseline model. */
  conditions?: readonly Condition[];
  /** Undefined: --no-receipts. */
  receiptTimeoutMs?: number;
  ble?: boolean;
  malformedFraction?: number;
  malformedKinds?: readonly MalformedKind[];
  statusIntervalMs?: number;
  hub?: HubOptions;
  logReceipts?: boolean;
  effects?: ReadonlyMap<string, ScenarioEffect[]>;
  transport?: TransportFactory;
}

/** Which condition each patient has: `conditions` in turn, by order of first appearance. */
export function assignConditions(
  devices: readonly Pick<ResolvedDevice, 'patientId'>[],
  conditions: readonly Condition[],
): Map<string, Condition> {
  const assigned = new Map<string, Condition>();
  if (conditions.length === 0) return assigned;
  for (const { patientId } of devices) {
    if (!assigned.has(patientId)) assigned.set(patientId, conditions[assigned.size % conditions.length]);
  }
  return assigned;
}

/** The seeded profile of the device's patient, with the baseline the devices file gives, if any. */
export function patientProfileFor(
  device: Pick<ResolvedDevice, 'patientId' | 'baseline'>,
  seed: string,
): PatientProfile {
  return { ...createPatientProfile(device.patientId, seed), ...device.baseline };
}

export function buildFleet(devices: readonly ResolvedDevice[], options: FleetOptions): SimulatedDevice[] {
  const profiles = new Map<string, PatientProfile>();
  const traits = new Map<string, ConditionTraits>();
  const conditions = assignConditions(devices, options.conditions ?? []);
  for (const [patientId, condition] of conditions) {
    traits.set(patientId, createConditionTraits(patientId, options.seed, condition));
    options.logger.info('patient condition', { patientId, condition });
  }
  return devices.map((device) => {
    const profile = profiles.get(device.patientId) ?? patientProfileFor(device, options.seed);
    profiles.set(device.patientId, profile);
    return new SimulatedDevice({
      device,
      generator: new ReadingGenerator({
        deviceId: device.id,
        kind: device.kind,
        profile,
        seed: options.seed,
        startedAt: options.startedAt,
        effects: options.effects?.get(device.id),
        condition: traits.get(device.patientId),
      }),
      intervalMs: options.intervalMs,
      seed: options.seed,
      count: options.count,
      logger: options.logger,
      stats: options.stats,
      receiptTimeoutMs: options.receiptTimeoutMs,
      ble: options.ble,
      malformedFraction: options.malformedFraction,
      malformedKinds: options.malformedKinds,
      statusIntervalMs: options.statusIntervalMs,
      hub: options.hub,
      logReceipts: options.logReceipts,
      transport: options.transport,
      remeasureDelayMs: remeasureDelayMs(options.effects?.get(device.id)),
    });
  });
}
