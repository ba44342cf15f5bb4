import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('are ten distinct codes of 16 base32 characters in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  });

  it('hash the same however they are typed (case, spaces, hyphens)', () => {
    const [code] = newRecoveryCodes(1);
    const typed = ` ${code.toUpperCase().replace(/-/g, ' ')} `;
    expect(normalizeRecoveryCode(typed)).toBe(code.replace(/-/g, ''));
    expect(hashRecoveryCode(typed).equals(hashRecoveryCode(code))).toBe(true);
    expect(hashRecoveryCode(code).equals(hashRecoveryCode(newRecoveryCodes(1)[0]))).toBe(false);
  });
});
