import type { AlertDto } from '@homeward/contracts';
import { ACTIVE_STATUSES, compareAlerts, matchesFilter, mergeAlert } from './alert-filters';

const alert = (overrides: Partial<AlertDto>): AlertDto => ({
  id: 'a',
  sequence: 1,
  changeSequence: 1,
  organizationId: 'org',
  patientId: 'p',
  severity: 'warning',
  status: 'open',
  rule: { id: 'r', kind: 'threshold', description: 'd', version: 0 },
  summary: 's',
  trigger: null,
  late: false,
  occurrences: 1,
  lastValue: null,
  lastMeasuredAt: null,
  assignedTo: null,
  snoozedUntil: null,
  inRangeSince: null,
  createdAt: '2026-11-26T08:00:00Z',
  updatedAt: '2026-11-26T08:00:00Z',
  ...overrides,
});

describe('the queue order and filters', () => {
  it('puts the worst severity first, then the longest waiting', () => {
    const queue = [
      alert({ id: 'new-warning', sequence: 30 }),
      alert({ id: 'new-critical', sequence: 20, severity: 'critical' }),
      alert({ id: 'info', sequence: 1, severity: 'info' }),
      alert({ id: 'old-critical', sequence: 9, severity: 'critical' }),
      alert({ id: 'old-warning', sequence: 10 }),
    ];
    expect([...queue].sort(compareAlerts).map((a) => a.id)).toEqual([
      'old-critical',
      'new-critical',
      'old-warning',
      'new-warning',
      'info',
    ]);
  });

  it('puts an alert nobody has acknowledged above acknowledged ones of its severity', () => {
    const queue = [
      alert({ id: 'acknowledged-old', sequence: 1, severity: 'critical', status: 'acknowledged' }),
      alert({ id: 'raised-again', sequence: 5, severity: 'critical', status: 'open' }),
      alert({ id: 'warning', sequence: 2 }),
    ];
    expect([...queue].sort(compareAlerts).map((a) => a.id)).toEqual([
      'raised-again',
      'acknowledged-old',
      'warning',
    ]);
  });

  it('keeps a pushed alert in a list only when it matches what the list asked the API for', () => {
    const now = Date.parse('2026-11-26T09:00:00Z');
    const active = { statuses: ACTIVE_STATUSES, severity: null, assignedToMe: false };
    expect(matchesFilter(alert({}), active, 'me', now)).toBe(true);
    expect(matchesFilter(alert({ status: 'resolved' }), active, 'me', now)).toBe(false);
    expect(matchesFilter(alert({ snoozedUntil: '2026-11-26T10:00:00Z' }), active, 'me', now)).toBe(false);
    expect(matchesFilter(alert({ snoozedUntil: '2026-11-26T08:30:00Z' }), active, 'me', now)).toBe(true);
    const mine = { ...active, assignedToMe: true };
    expect(matchesFilter(alert({ assignedTo: 'me' }), mine, 'me', now)).toBe(true);
    expect(matchesFilter(alert({ assignedTo: 'you' }), mine, 'me', now)).toBe(false);
    const critical = { ...active, severity: 'critical' as const };
    expect(matchesFilter(alert({}), critical, 'me', now)).toBe(false);
  });

  it('never lets an older copy of an alert replace a newer one, and drops one that no longer matches', () => {
    const now = Date.parse('2026-11-26T09:00:00Z');
    const active = { statuses: ACTIVE_STATUSES, severity: null, assignedToMe: false };
    const acknowledged = alert({ status: 'acknowledged', changeSequence: 5 });
    expect(mergeAlert([acknowledged], alert({ changeSequence: 3 }), active, 'me', now)).toEqual([
      acknowledged,
    ]);
    expect(
      mergeAlert([acknowledged], alert({ status: 'resolved', changeSequence: 6 }), active, 'me', now),
    ).toEqual([]);
    expect(mergeAlert([], acknowledged, active, 'me', now)).toEqual([acknowledged]);
  });
});
