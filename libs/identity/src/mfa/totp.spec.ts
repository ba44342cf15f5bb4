import { authenticator } from 'otplib';
import { isTotpCode, matchTotpStep, newTotpSecret, totpUri } from './totp';

const NOW = Date.parse('2026-12-07T10:00:10Z');
const STEP = Math.floor(NOW / 30_000);
const codeAt = (secret: string, ms: number) => authenticator.clone({ epoch: ms }).generate(secret);

describe('TOTP: codes an authenticator app shows', () => {
  it('makes 160-bit base32 secrets and an otpauth URI with the issuer and the email', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri('nora@clinic.example', secret));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Homeward:nora@clinic.example');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret,
      issuer: 'Homeward',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });

  it('matches the RFC 6238 appendix B vector (SHA-1, 8 digits shortened to the last 6)', () => {
    // Secret "12345678901234567890" in base32; at T = 59 s the 8-digit code is 94287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(matchTotpStep('287082', secret, 59_000)).toBe(1);
  });

  it('accepts the code of now and of one step either side, naming its step', () => {
    const secret = newTotpSecret();
    expect(matchTotpStep(codeAt(secret, NOW), secret, NOW)).toBe(STEP);
    expect(matchTotpStep(codeAt(secret, NOW - 30_000), secret, NOW)).toBe(STEP - 1);
    expect(matchTotpStep(codeAt(secret, NOW + 30_000), secret, NOW)).toBe(STEP + 1);
  });

  it('refuses codes two steps away, of another secret, or not six digits', () => {
    const secret = newTotpSecret();
    expect(matchTotpStep(codeAt(secret, NOW - 60_000), secret, NOW)).toBeNull();
    expect(matchTotpStep(codeAt(secret, NOW + 60_000), secret, NOW)).toBeNull();
    expect(matchTotpStep(codeAt(newTotpSecret(), NOW), secret, NOW)).toBeNull();
    expect(matchTotpStep('12345', secret, NOW)).toBeNull();
    expect(matchTotpStep('abcdef', secret, NOW)).toBeNull();
  });

  it('tells a TOTP code from a recovery code by its shape', () => {
    expect(isTotpCode('012345')).toBe(true);
    expect(isTotpCode('abcd-efgh-ijkl-mnop')).toBe(false);
    expect(isTotpCode('0123456')).toBe(false);
  });
});
