// A real OpenID Connect provider (oidc-provider) for the single sign-on suites, run as a child
// process: oidc-provider is an ES module, which jest's module runtime cannot load.
//
// One client, registered for the API's callback with client_secret_basic and PKCE required. Any
// login is accepted with any password (devInteractions): the login is the account's email, and
// `unverified:<email>` gives the same email with `email_verified: false`.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
const issuer = `http://127.0.0.1:${OIDC_PORT}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function claimsOf(accountId) {
  const unverified = accountId.startsWith('unverified:');
  return {
    sub: accountId,
    email: unverified ? accountId.slice('unverified:'.length) : accountId,
    email_verified: !unverified,
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: ['oidc-provider-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true } },
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => claimsOf(accountId) }),
});
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

provider.listen(Number(OIDC_PORT), '127.0.0.1', () => console.log(`oidc-provider ready at ${issuer}`));
