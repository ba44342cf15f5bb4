import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { OidcProviderRow } from '../identity.rows';

const COLUMNS = `organization_id AS "organizationId", issuer, client_id AS "clientId",
  client_secret AS "clientSecret", allowed_email_domains AS "allowedEmailDomains", updated_at AS "updatedAt"`;

/** Each organisation's OpenID Connect provider. */
@Injectable()
export class OidcProviderRepository {
  constructor(private readonly db: Database) {}

  async find(organizationId: string, q: Queryable = this.db): Promise<OidcProviderRow | undefined> {
    const { rows } = await q.query<OidcProviderRow>(
      `SELECT ${COLUMNS} FROM oidc_providers WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0];
  }

  /** The provider of the organisation with that slug, with the organisation's id. */
  async findBySlug(slug: string): Promise<OidcProviderRow | undefined> {
    const { rows } = await this.db.query<OidcProviderRow>(
      `SELECT ${COLUMNS} FROM oidc_providers
       WHERE organization_id = (SELECT id FROM organizations WHERE slug = $1)`,
      [slug],
    );
    return rows[0];
  }

  /** Creates or replaces the organisation's provider; a null secret keeps the stored one. */
  async upsert(
    provider: {
      organizationId: string;
      issuer: string;
      clientId: string;
      clientSecret: string | null;
      allowedEmailDomains: string[];
    },
    q: Queryable,
  ): Promise<OidcProviderRow | undefined> {
    const { rows } = await q.query<OidcProviderRow>(
      `INSERT INTO oidc_providers (organization_id, issuer, client_id, client_secret, allowed_email_domains)
       SELECT $1, $2, $3, secret, $5
       FROM (SELECT coalesce($4, (SELECT client_secret FROM oidc_providers WHERE organization_id = $1)) AS secret) s
       WHERE secret IS NOT NULL
       ON CONFLICT (organization_id) DO UPDATE
         SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret,
             allowed_email_domains = EXCLUDED.allowed_email_domains, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        provider.organizationId,
        provider.issuer,
        provider.clientId,
        provider.clientSecret,
        provider.allowedEmailDomains,
      ],
    );
    return rows[0];
  }

  /** Whether there was one to delete. */
  async delete(organizationId: string, q: Queryable): Promise<boolean> {
    const { rowCount } = await q.query('DELETE FROM oidc_providers WHERE organization_id = $1', [
      organizationId,
    ]);
    return (rowCount ?? 0) > 0;
  }
}
