import { looksSealed, mfaSecretKey, openSecret, sealSecret, secretKey } from './secret-box';

const KEY = mfaSecretKey('a-test-key-of-at-least-32-characters!!');
const USER = '6f1c1c39-3f57-4c4a-9d0c-2c1b1e0e8b11';
const OTHER_USER = '0b7e8d0a-5b1b-4d1b-8f7e-9a9c1f5e2d22';

describe('secret box: secrets at rest', () => {
  it('opens what it sealed, and never stores the secret in clear', () => {
    const sealed = sealSecret(KEY, USER, 'JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealed).toMatch(/^v1\./);
    expect(openSecret(KEY, USER, sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(sealSecret(KEY, USER, 'JBSWY3DPEHPK3PXP')).not.toBe(sealed);
  });

  it('refuses another key, another user’s row, a changed byte and garbage', () => {
    const sealed = sealSecret(KEY, USER, 'JBSWY3DPEHPK3PXP');
    expect(openSecret(mfaSecretKey('another-key-of-at-least-32-characters!'), USER, sealed)).toBeUndefined();
    expect(openSecret(KEY, OTHER_USER, sealed)).toBeUndefined();
    const parts = sealed.split('.');
    parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith('AA') ? 'AB' : 'AA');
    expect(openSecret(KEY, USER, parts.join('.'))).toBeUndefined();
    expect(openSecret(KEY, USER, 'not-a-box')).toBeUndefined();
  });
});

describe('secret box: purposes', () => {
  it('derives a key per purpose: a TOTP box does not open with the client-secret key', () => {
    const material = 'a-test-key-of-at-least-32-characters!!';
    const sealed = sealSecret(secretKey(material, 'mfa'), USER, 'JBSWY3DPEHPK3PXP');
    expect(openSecret(secretKey(material, 'mfa'), USER, sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(openSecret(secretKey(material, 'oidc'), USER, sealed)).toBeUndefined();
  });

  it('tells a sealed box from a value stored before sealing', () => {
    expect(looksSealed(sealSecret(KEY, USER, 'x'))).toBe(true);
    expect(looksSealed('a-plain-client-secret')).toBe(false);
    expect(looksSealed('v1.only.three')).toBe(false);
  });
});
