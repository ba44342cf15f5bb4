import { canRevoke, consentRecordProblem } from './consent.rules';

describe('consent rules', () => {
  const now = new Date('2026-12-07T10:00:00Z');

  it('accepts written, verbal and electronic consent given now or earlier', () => {
    for (const method of ['written', 'verbal', 'electronic'])
      expect(
        consentRecordProblem({ method, givenAt: new Date('2026-12-01T09:00:00Z') }, now),
      ).toBeUndefined();
    expect(consentRecordProblem({ method: 'verbal', givenAt: now }, now)).toBeUndefined();
  });

  it('refuses legacy, which only the migration records', () => {
    expect(consentRecordProblem({ method: 'legacy', givenAt: now }, now)).toMatch(/method must be one of/);
  });

  it('refuses a consent given in the future, beyond a little clock skew', () => {
    expect(
      consentRecordProblem({ method: 'written', givenAt: new Date('2026-12-07T10:01:00Z') }, now),
    ).toBeUndefined();
    expect(consentRecordProblem({ method: 'written', givenAt: new Date('2026-12-08T10:00:00Z') }, now)).toBe(
      'givenAt is in the future',
    );
    expect(consentRecordProblem({ method: 'written', givenAt: new Date('nonsense') }, now)).toBe(
      'givenAt is not a date',
    );
  });

  it('revokes an active consent once', () => {
    expect(canRevoke({ status: 'active' })).toBe(true);
    expect(canRevoke({ status: 'revoked' })).toBe(false);
  });
});
