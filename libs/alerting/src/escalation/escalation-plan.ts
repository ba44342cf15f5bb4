import { UNACKNOWLEDGED_ALERT_STATUSES, type AlertStatus, type Severity } from '@homeward/contracts';

/** The two steps: to the on-call clinician, then to the organisation's admins. */
export const ESCALATION_STEPS = [1, 2] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

/** States in which a critical alert still waits for someone to acknowledge it. */
export const AWAITING_ACKNOWLEDGEMENT: readonly AlertStatus[] = UNACKNOWLEDGED_ALERT_STATUSES;

/**
 * States in which the escalation clock starts. A critical alert waiting for its re-measurement
 * (`pending_confirmation`) starts it once confirmed (`open`); one already escalated by hand
 * keeps going up the steps.
 */
const STARTS_CLOCK: readonly AlertStatus[] = ['open', 'escalated'];

export interface EscalationPolicy {
  firstAfterSeconds: number;
  thenAfterSeconds: number;
}

/** Whether an alert's escalation clock should be running. */
export function startsEscalation(alert: { severity: Severity; status: AlertStatus }): boolean {
  return alert.severity === 'critical' && STARTS_CLOCK.includes(alert.status);
}

/** Whether an escalation step may still be taken: the alert is critical and nobody acknowledged it. */
export function awaitsAcknowledgement(alert: { severity: Severity; status: AlertStatus }): boolean {
  return alert.severity === 'critical' && AWAITING_ACKNOWLEDGEMENT.includes(alert.status);
}

/** Seconds after the clock starts at which each step falls due: N, then N + M. */
export function stepDelays(policy: EscalationPolicy): Array<{ step: EscalationStep; afterSeconds: number }> {
  return [
    { step: 1, afterSeconds: policy.firstAfterSeconds },
    { step: 2, afterSeconds: policy.firstAfterSeconds + policy.thenAfterSeconds },
  ];
}

/** The organisation's own policy, else the configured defaults (minutes). */
export function effectivePolicy(
  own: EscalationPolicy | undefined,
  defaults: { firstAfterMinutes: number; thenAfterMinutes: number },
): EscalationPolicy & { source: 'organization' | 'default' } {
  if (own) return { ...own, source: 'organization' };
  return {
    firstAfterSeconds: defaults.firstAfterMinutes * 60,
    thenAfterSeconds: defaults.thenAfterMinutes * 60,
    source: 'default',
  };
}

export interface Shift {
  id: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  /** False when the user's account is disabled: a disabled user is never on call. */
  userActive: boolean;
}

/**
 * Who is on call at `at`: the active user whose shift covers it (start inclusive, end
 * exclusive); of overlapping shifts, the one that started last (a swap entered on top of the
 * regular rota wins). Undefined when nobody is.
 */
export function onCallAt<S extends Shift>(shifts: readonly S[], at: Date): S | undefined {
  const time = at.getTime();
  let found: S | undefined;
  for (const shift of shifts) {
    if (!shift.userActive || shift.startsAt.getTime() > time || shift.endsAt.getTime() <= time) continue;
    if (!found || shift.startsAt.getTime() > found.startsAt.getTime()) found = shift;
  }
  return found;
}

/** BullMQ job id of one step (ids may not contain ':'). */
export function escalationJobId(alertId: string, step: number): string {
  return `escalate-${alertId}-${step}`;
}
