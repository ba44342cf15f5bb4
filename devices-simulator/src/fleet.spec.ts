import { createPatientProfile } from './patient-profile';
import { assignConditions, patientProfileFor } from './fleet';

describe('assignConditions', () => {
  it('gives patients the conditions in turn, in the order they first appear', () => {
    const devices = ['p1', 'p1', 'p2', 'p3', 'p2', 'p4'].map((patientId) => ({ patientId }));
    expect([...assignConditions(devices, ['copd', 'diabetes', 'healthy'])]).toEqual([
      ['p1', 'copd'],
      ['p2', 'diabetes'],
      ['p3', 'healthy'],
      ['p4', 'copd'],
    ]);
    expect(assignConditions(devices, []).size).toBe(0);
  });
});

describe('patientProfileFor', () => {
  it("takes the devices file's baseline over the seeded one, and the seeded one for the rest", () => {
    const seeded = createPatientProfile('p1', 'spec');
    const profile = patientProfileFor(
      { patientId: 'p1', baseline: { systolic: 152, weightKg: 71.5 } },
      'spec',
    );
    expect(profile).toEqual({ ...seeded, systolic: 152, weightKg: 71.5 });
    expect(patientProfileFor({ patientId: 'p1' }, 'spec')).toEqual(seeded);
  });
});
