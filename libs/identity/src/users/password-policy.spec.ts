import { passwordProblem } from './password-policy';

describe('password rules', () => {
  it('refuses a password shorter than 12 characters', () => {
    expect(passwordProblem('Tr0ub4dor&3')).toBe('too_short');
    expect(passwordProblem('correct horse')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🐴🐴🐴🐴🐴🐴abcd')).toBe('too_short');
  });

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('Password1234')).toBe('too_common');
    expect(passwordProblem('QWERTY123456')).toBe('too_common');
  });

  it('refuses a single repeated character', () => {
    expect(passwordProblem('zzzzzzzzzzzzzzzz')).toBe('too_common');
    expect(passwordProblem('abababababab')).toBe('too_common');
  });

  it("refuses the user's own email name inside the password", () => {
    expect(passwordProblem('maria.lopez-2026!', { email: 'Maria.Lopez@clinic.example' })).toBe(
      'contains_email',
    );
    expect(passwordProblem('a long quiet river', { email: 'maria.lopez@clinic.example' })).toBeUndefined();
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblem('x'.repeat(100) + 'y'.repeat(157))).toBe('too_long');
  });
});
