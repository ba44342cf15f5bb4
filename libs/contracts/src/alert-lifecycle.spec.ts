import { ALERT_STATUSES } from './domain-values';
import {
  ACTIVE_ALERT_STATUSES,
  CLOSED_ALERT_STATUSES,
  actionAllowed,
  planTransition,
  sqlStatusList,
} from './alert-lifecycle';

const now = new Date('2026-11-26T10:00:00Z');
const hours = (n: number) => new Date(now.getTime() + n * 3600_000);

describe('alert lifecycle', () => {
  it('lets an open alert be acknowledged, escalated, resolved or dismissed', () => {
    const open = { status: 'open', severity: 'warning' } as const;
    expect(planTransition(open, 'acknowledge')).toMatchObject({ allowed: true, to: 'acknowledged' });
    expect(planTransition(open, 'escalate')).toMatchObject({ allowed: true, to: 'escalated' });
    expect(planTransition(open, 'resolve')).toMatchObject({ allowed: true, to: 'resolved' });
    expect(planTransition(open, 'dismiss')).toMatchObject({ allowed: true, to: 'dismissed' });
    expect(planTransition(open, 'assign')).toMatchObject({ allowed: true, to: 'same' });
  });

  it('refuses acknowledging twice and acting on a closed alert, but keeps notes open', () => {
    const acknowledged = { status: 'acknowledged', severity: 'warning' } as const;
    expect(planTransition(acknowledged, 'acknowledge')).toEqual({ allowed: false, reason: 'state' });
    for (const status of ['resolved', 'dismissed'] as const) {
      for (const action of ['acknowledge', 'assign', 'snooze', 'escalate', 'resolve', 'dismiss'] as const)
        expect(planTransition({ status, severity: 'info' }, action)).toEqual({
          allowed: false,
          reason: 'state',
        });
      expect(planTransition({ status, severity: 'info' }, 'note')).toMatchObject({
        allowed: true,
        to: 'same',
      });
    }
  });

  it('never snoozes a critical alert, and bounds a snooze by severity', () => {
    expect(
      planTransition({ status: 'open', severity: 'critical' }, 'snooze', { snoozeUntil: hours(1), now }),
    ).toEqual({ allowed: false, reason: 'severity' });
    const warning = { status: 'open', severity: 'warning' } as const;
    expect(planTransition(warning, 'snooze', { snoozeUntil: hours(24), now })).toMatchObject({
      allowed: true,
    });
    expect(planTransition(warning, 'snooze', { snoozeUntil: hours(24.01), now })).toEqual({
      allowed: false,
      reason: 'snooze_too_long',
    });
    expect(planTransition(warning, 'snooze', { snoozeUntil: hours(-1), now })).toEqual({
      allowed: false,
      reason: 'snooze_too_long',
    });
    const info = { status: 'acknowledged', severity: 'info' } as const;
    expect(planTransition(info, 'snooze', { snoozeUntil: hours(72), now })).toMatchObject({ allowed: true });
  });
});

describe('the lifecycle shared by the server, its SQL and the console', () => {
  it('splits every state into active or closed, once', () => {
    expect([...ACTIVE_ALERT_STATUSES, ...CLOSED_ALERT_STATUSES].sort()).toEqual([...ALERT_STATUSES].sort());
  });

  it('lets the console offer acknowledge only where the server accepts it', () => {
    expect(ALERT_STATUSES.filter((status) => actionAllowed('acknowledge', status))).toEqual([
      'pending_confirmation',
      'open',
      'escalated',
    ]);
  });

  it('renders a state list as SQL', () => {
    expect(sqlStatusList(CLOSED_ALERT_STATUSES)).toBe("('resolved', 'dismissed')");
  });
});
