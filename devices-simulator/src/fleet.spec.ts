import { assignConditions } from './fleet';

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
