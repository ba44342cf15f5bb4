import { checkAccessClaims } from './access-claims';

const EXPECTED = { issuer: 'homeward', audience: 'homeward-api' };
const NOW = 1_800_000_000;
const VALID = {
  sub: '6f1c1c39-3f57-4c4a-9d0c-2c1b1e0e8b11',
  org: '0b7e8d0a-5b1b-4d1b-8f7e-9a9c1f5e2d22',
  sid: 'c3a0f1d2-7e4b-4b7a-a1c2-3d4e5f607183',
  role: 'coordinator',
  iss: 'homeward',
  aud: 'homeward-api',
  iat: NOW - 10,
  nbf: NOW - 10,
  exp: NOW + 890,
};

describe('checkAccessClaims: what an access token must claim', () => {
  it('accepts a complete token within its validity', () => {
    expect(checkAccessClaims(VALID, EXPECTED, NOW)).toEqual(VALID);
    expect(checkAccessClaims({ ...VALID, aud: ['other', 'homeward-api'] }, EXPECTED, NOW)).toBeDefined();
  });

  it.each(['sub', 'org', 'sid', 'role', 'iss', 'aud', 'iat', 'nbf', 'exp'])(
    'refuses a token without %s',
    (claim) => {
      const claims: Record<string, unknown> = { ...VALID };
      delete claims[claim];
      expect(checkAccessClaims(claims, EXPECTED, NOW)).toBeUndefined();
    },
  );

  it.each([
    ['another issuer', { iss: 'someone-else' }],
    ['another audience', { aud: 'homeward-ingest' }],
    ['an unknown role', { role: 'superuser' }],
    ['a session id that is not a uuid', { sid: '1 OR 1=1' }],
    ['a text expiry', { exp: String(NOW + 890) }],
  ])('refuses %s', (_, change) => {
    expect(checkAccessClaims({ ...VALID, ...change }, EXPECTED, NOW)).toBeUndefined();
  });

  it('refuses an expired token, and one not yet valid', () => {
    expect(checkAccessClaims({ ...VALID, exp: NOW }, EXPECTED, NOW)).toBeUndefined();
    expect(checkAccessClaims({ ...VALID, nbf: NOW + 1 }, EXPECTED, NOW)).toBeUndefined();
  });

  it('refuses what is not an object', () => {
    expect(checkAccessClaims('token', EXPECTED, NOW)).toBeUndefined();
    expect(checkAccessClaims(null, EXPECTED, NOW)).toBeUndefined();
  });
});
