import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { looksSealed, openSecret, sealSecret, secretKey } from '../secrets/secret-box';

/**
 * Organisations' OpenID Connect client secrets at rest: sealed with AES-256-GCM under a key
 * derived from MFA_SECRET_KEY (or JWT_SECRET), bound to the organisation, so a database dump
 * or backup alone does not let anyone act as the organisation's client at its provider.
 */
@Injectable()
export class OidcClientSecrets {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    const material = config.MFA_SECRET_KEY ?? config.JWT_SECRET;
    if (!material) throw new Error('MFA_SECRET_KEY or JWT_SECRET is required wherever the API runs');
    this.key = secretKey(material, 'oidc');
  }

  seal(organizationId: string, clientSecret: string): string {
    return sealSecret(this.key, organizationId, clientSecret);
  }

  /**
   * The client secret; undefined when it was sealed under another key (the key material
   * changed: an admin enters the secret again). A secret stored before sealing existed is
   * returned as it is and sealed the next time the configuration is saved.
   */
  open(organizationId: string, stored: string): string | undefined {
    if (!looksSealed(stored)) return stored;
    return openSecret(this.key, organizationId, stored);
  }

  /** `stored` when it is a secret stored in clear (before sealing existed), else undefined. */
  plainSecret(stored: string | undefined): string | undefined {
    return stored !== undefined && !looksSealed(stored) ? stored : undefined;
  }
}
