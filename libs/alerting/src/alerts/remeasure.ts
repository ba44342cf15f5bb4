import type { VitalType } from '@homeward/contracts';
import { measurementKey } from '../rules/rule-series';

/**
 * The re-measure flow: a breach that asks first (rules marked `remeasure`, the hypertensive
 * crisis) or whose trigger the device flagged unreliable (`measurement-quality.ts`, any rule
 * judging one reading):
 * 1. A new episode from such a breach is inserted as `pending_confirmation` with a deadline
 *    (`confirm_by`, ALERT_CONFIRM_WITHIN_SECONDS after evaluation) and a `remeasure` command to
 *    the device, written in the same transaction and published after the commit.
 * 2. A later batch holding a re-measurement (a reading of the episode's types measured after its
 *    trigger, received by the deadline) decides it: breaching a rule of the episode's group at
 *    its severity or above confirms it (`open`); a clean one breaching none means the breach is
 *    not confirmed (`resolved`). A flagged re-measurement that breaches still confirms (the safe
 *    side); a flagged one that does not breach decides nothing: the episode keeps waiting.
 *    Other rules still evaluate that reading (a grade 2 warning opens its own alert).
 * 3. Without a (clean) re-measurement by the deadline a delayed job (or, if that job was lost,
 *    the sweep) opens it: an unanswered breach is treated as real, never dropped.
 * Late readings never ask: a measurement from long ago cannot be repeated.
 */

/**
 * Whether a finding opens its episode as `pending_confirmation` and asks the device to
 * re-measure: `remeasure` is set when its rule asks or its trigger is flagged unreliable.
 */
export function needsRemeasure(
  finding: { remeasure?: readonly VitalType[]; late: boolean },
  withinSeconds: number,
): finding is { remeasure: readonly VitalType[]; late: false } {
  return withinSeconds > 0 && !finding.late && (finding.remeasure?.length ?? 0) > 0;
}

export interface PendingEpisode {
  triggerDeviceId: string;
  triggerMessageId: string;
  triggerMeasuredAt: Date;
  confirmBy: Date;
}

export interface Remeasurement {
  deviceId: string;
  messageId: string;
  measuredAt: Date;
  /** Server time: the deadline is the server's, the measurement time the device's. */
  receivedAt: Date;
}

export type ConfirmationDecision<M> =
  | { outcome: 'confirmed'; by: M }
  | { outcome: 'not_confirmed'; by: M }
  | { outcome: 'unanswered' }
  | { outcome: 'waiting' };

/**
 * What the measurements of a batch decide for a pending episode. A re-measurement is another
 * measurement than the trigger, measured no earlier (both on the device's clock: devices that
 * stamp whole seconds give a prompt re-measurement the trigger's time) and received by the
 * deadline (server clock);
 * any of them breaching the rule again confirms (the safer side), flagged `unreliable` or not;
 * else the first reliable one clears it. Without one, the episode is unanswered once `now`
 * reaches the deadline: a flagged re-measurement in range is no answer.
 */
export function decideConfirmation<M extends Remeasurement>(
  pending: PendingEpisode,
  measurements: readonly M[],
  breaches: (measurement: M) => boolean,
  now: Date,
  unreliable: (measurement: M) => boolean = () => false,
): ConfirmationDecision<M> {
  const remeasured = measurements
    .filter(
      (m) =>
        !(m.deviceId === pending.triggerDeviceId && m.messageId === pending.triggerMessageId) &&
        m.measuredAt.getTime() >= pending.triggerMeasuredAt.getTime() &&
        m.receivedAt.getTime() <= pending.confirmBy.getTime(),
    )
    .sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  const breaching = remeasured.find(breaches);
  if (breaching) return { outcome: 'confirmed', by: breaching };
  const clean = remeasured.find((m) => !unreliable(m));
  if (clean) return { outcome: 'not_confirmed', by: clean };
  if (now.getTime() >= pending.confirmBy.getTime()) return { outcome: 'unanswered' };
  return { outcome: 'waiting' };
}

/** The measurements (readings taken together) among `readings`, one entry each. */
export function measurementsOf<R extends Remeasurement>(readings: readonly R[]): R[] {
  const byKey = new Map<string, R>();
  for (const reading of readings)
    if (!byKey.has(measurementKey(reading))) byKey.set(measurementKey(reading), reading);
  return [...byKey.values()];
}
