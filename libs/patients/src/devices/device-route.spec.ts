import { patientAt } from './device-route';

const at = (iso: string) => new Date(iso);

describe('patientAt', () => {
  const route = {
    patientId: 'carol',
    assignments: [
      { patientId: 'alice', assignedAt: at('2026-01-01T00:00:00Z') },
      { patientId: 'bob', assignedAt: at('2026-03-01T00:00:00Z') },
      { patientId: 'carol', assignedAt: at('2026-06-01T00:00:00Z') },
    ],
  };

  it('gives a reading to the patient the device was with when it was measured', () => {
    expect(patientAt(route, at('2026-02-15T12:00:00Z'))).toBe('alice');
    expect(patientAt(route, at('2026-04-01T00:00:00Z'))).toBe('bob');
    expect(patientAt(route, at('2026-07-01T00:00:00Z'))).toBe('carol');
  });

  it('gives a reading measured at the moment of a reassignment to the new patient', () => {
    expect(patientAt(route, at('2026-03-01T00:00:00Z'))).toBe('bob');
    expect(patientAt(route, at('2026-02-28T23:59:59.999Z'))).toBe('alice');
  });

  it('gives a reading stamped before registration to the first patient', () => {
    expect(patientAt(route, at('2025-12-31T00:00:00Z'))).toBe('alice');
  });

  it('falls back to the current patient when no history is known', () => {
    expect(patientAt({ patientId: 'dave', assignments: [] }, at('2026-01-01T00:00:00Z'))).toBe('dave');
  });
});
