import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { OrganizationRow } from '../identity.rows';

const COLUMNS = 'id, slug, name, mfa_required AS "mfaRequired"';

@Injectable()
export class OrganizationRepository {
  constructor(private readonly db: Database) {}

  /** Creates the organisation, or returns the existing one with that slug. */
  async upsert(slug: string, name: string, q: Queryable = this.db): Promise<OrganizationRow> {
    const { rows } = await q.query<OrganizationRow>(
      `INSERT INTO organizations (slug, name) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name
       RETURNING ${COLUMNS}`,
      [slug, name],
    );
    return rows[0];
  }

  /** A new organisation; undefined when the slug is taken. */
  async insert(slug: string, name: string, q: Queryable): Promise<OrganizationRow | undefined> {
    const { rows } = await q.query<OrganizationRow>(
      `INSERT INTO organizations (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING
       RETURNING ${COLUMNS}`,
      [slug, name],
    );
    return rows[0];
  }

  async findById(id: string): Promise<OrganizationRow | undefined> {
    const { rows } = await this.db.query<OrganizationRow>(
      `SELECT ${COLUMNS} FROM organizations WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Sets whether every user must sign in with a second factor; undefined for an unknown id. */
  async setMfaRequired(id: string, required: boolean, q: Queryable): Promise<OrganizationRow | undefined> {
    const { rows } = await q.query<OrganizationRow>(
      `UPDATE organizations SET mfa_required = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, required],
    );
    return rows[0];
  }

  /** Every organisation's id. */
  async listIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM organizations ORDER BY id');
    return rows.map((row) => row.id);
  }
}
