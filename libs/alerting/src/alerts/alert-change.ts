import type { AlertRow } from '../alerting.rows';

/**
 * What a batch did to one alert, for what follows its commit (the push, the log line, the
 * escalation clock):
 * - `opened`: a new episode; `reopened`: one closed within the cool-down came back;
 * - `raised`: a worse breach raised its severity (it is worked like a new alert of that severity);
 * - `attached`: one more breach, neither state nor severity changed;
 * - `settled`: a re-measurement decided it; `cleared`: the all clear resolved it;
 * - `back_in_range`: an unacknowledged critical episode's readings are in range again.
 */
export type AlertChangeKind =
  'opened' | 'reopened' | 'raised' | 'attached' | 'settled' | 'cleared' | 'back_in_range';

export interface AlertChange {
  row: AlertRow;
  kind: AlertChangeKind;
}

/** Changes that start or stop the escalation clock (an attached breach changes neither). */
export function changesLifecycle(change: AlertChange): boolean {
  return change.kind !== 'attached' && change.kind !== 'back_in_range';
}
