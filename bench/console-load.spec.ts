import { tokenSubject } from './console-load';

const token = (claims: object) =>
  ['{"alg":"HS256"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.signature';

describe('console load', () => {
  it('counts users by the subject of their access tokens', () => {
    expect(tokenSubject(token({ sub: 'user-1', org: 'org-1', role: 'coordinator' }))).toBe('user-1');
  });

  it('refuses a token that names no user', () => {
    expect(() => tokenSubject(token({ org: 'org-1' }))).toThrow('token without a subject');
  });
});
