import {
  awaitsAcknowledgement,
  effectivePolicy,
  escalationJobId,
  onCallAt,
  startsEscalation,
  stepDelays,
  type Shift,
} from './escalation-plan';

const at = (iso: string) => new Date(iso);
const shift = (id: string, starts: string, ends: string, userActive = true): Shift => ({
  id,
  userId: `user-${id}`,
  startsAt: at(starts),
  endsAt: at(ends),
  userActive,
});

describe('who is on call', () => {
  const night = shift('night', '2026-11-26T20:00:00Z', '2026-11-27T08:00:00Z');
  const day = shift('day', '2026-11-27T08:00:00Z', '2026-11-27T20:00:00Z');

  it('is the user whose shift covers the moment, the next shift taking over at its start', () => {
    expect(onCallAt([night, day], at('2026-11-27T03:00:00Z'))?.id).toBe('night');
    expect(onCallAt([night, day], at('2026-11-27T07:59:59.999Z'))?.id).toBe('night');
    expect(onCallAt([night, day], at('2026-11-27T08:00:00Z'))?.id).toBe('day');
  });

  it('is nobody outside every shift', () => {
    expect(onCallAt([night, day], at('2026-11-27T20:00:00Z'))).toBeUndefined();
    expect(onCallAt([], at('2026-11-27T12:00:00Z'))).toBeUndefined();
  });

  it('is the swap entered on top of the rota when shifts overlap', () => {
    const swap = shift('swap', '2026-11-27T12:00:00Z', '2026-11-27T14:00:00Z');
    expect(onCallAt([day, swap], at('2026-11-27T13:00:00Z'))?.id).toBe('swap');
    expect(onCallAt([swap, day], at('2026-11-27T15:00:00Z'))?.id).toBe('day');
  });

  it('is never a disabled user, whose colleague on an overlapping shift is on call instead', () => {
    const disabled = shift('gone', '2026-11-27T12:00:00Z', '2026-11-27T14:00:00Z', false);
    expect(onCallAt([day, disabled], at('2026-11-27T13:00:00Z'))?.id).toBe('day');
    expect(onCallAt([disabled], at('2026-11-27T13:00:00Z'))).toBeUndefined();
  });
});

describe('escalation timing', () => {
  it('falls due N after the clock starts for the on-call clinician, and M more for the admins', () => {
    expect(stepDelays({ firstAfterSeconds: 600, thenAfterSeconds: 900 })).toEqual([
      { step: 1, afterSeconds: 600 },
      { step: 2, afterSeconds: 1500 },
    ]);
  });

  it("uses the organisation's policy, else the configured defaults in minutes", () => {
    const defaults = { firstAfterMinutes: 10, thenAfterMinutes: 15 };
    expect(effectivePolicy(undefined, defaults)).toEqual({
      firstAfterSeconds: 600,
      thenAfterSeconds: 900,
      source: 'default',
    });
    expect(effectivePolicy({ firstAfterSeconds: 5, thenAfterSeconds: 7 }, defaults)).toEqual({
      firstAfterSeconds: 5,
      thenAfterSeconds: 7,
      source: 'organization',
    });
  });

  it('starts only for critical alerts that are open or already escalated', () => {
    expect(startsEscalation({ severity: 'critical', status: 'open' })).toBe(true);
    expect(startsEscalation({ severity: 'critical', status: 'escalated' })).toBe(true);
    expect(startsEscalation({ severity: 'critical', status: 'pending_confirmation' })).toBe(false);
    expect(startsEscalation({ severity: 'warning', status: 'open' })).toBe(false);
    expect(startsEscalation({ severity: 'critical', status: 'acknowledged' })).toBe(false);
  });

  it('stops once someone acknowledges, resolves or dismisses the alert', () => {
    for (const status of ['acknowledged', 'resolved', 'dismissed'] as const)
      expect(awaitsAcknowledgement({ severity: 'critical', status })).toBe(false);
    for (const status of ['pending_confirmation', 'open', 'escalated'] as const)
      expect(awaitsAcknowledgement({ severity: 'critical', status })).toBe(true);
  });

  it('names each step with a job id BullMQ accepts', () => {
    const id = escalationJobId('7d0f4c1e-9a51-4c38-9f77-2b9f1d1a2b3c', 2);
    expect(id).toBe('escalate-7d0f4c1e-9a51-4c38-9f77-2b9f1d1a2b3c-2');
    expect(id).not.toContain(':');
  });
});
