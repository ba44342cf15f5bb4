import {
  generateLinkCode,
  hashLinkCode,
  joinUrl,
  LINK_CODE_PATTERN,
  linkExpiry,
  linkState,
} from './link-code';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

describe('one-time visit link codes', () => {
  it('are 256 random bits, URL-safe, distinct, and stored only as their sha256', () => {
    const codes = new Set(Array.from({ length: 200 }, generateLinkCode));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(LINK_CODE_PATTERN);
      expect(Buffer.from(code, 'base64url')).toHaveLength(32);
    }
    const [code] = codes;
    expect(hashLinkCode(code)).toHaveLength(32);
    expect(hashLinkCode(code).toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
    expect(joinUrl('https://homeward.example.org', code)).toBe(
      `https://homeward.example.org/visit/join?code=${code}`,
    );
  });

  it('expire VISIT_LINK_TTL_MINUTES after the visit time, or after issue when that is later', () => {
    expect(linkExpiry(at(30), at(0), 60)).toEqual(at(90));
    expect(linkExpiry(null, at(0), 60)).toEqual(at(60));
    expect(linkExpiry(at(0), at(10), 60)).toEqual(at(70));
  });

  it('say why they no longer let anyone in', () => {
    const link = { usedAt: null, voidedAt: null, expiresAt: at(60) };
    expect(linkState(link, 'scheduled', at(59))).toBe('valid');
    expect(linkState(link, 'in_progress', at(59))).toBe('valid');
    expect(linkState(link, 'scheduled', at(60))).toBe('expired');
    expect(linkState({ ...link, usedAt: at(1) }, 'scheduled', at(2))).toBe('used');
    expect(linkState({ ...link, voidedAt: at(1) }, 'scheduled', at(2))).toBe('voided');
    expect(linkState(link, 'completed', at(2))).toBe('visit_closed');
  });
});
