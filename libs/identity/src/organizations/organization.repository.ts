import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { OrganizationRow } from '../identity.rows';

@Injectable()
export class OrganizationRepository {
  constructor(private readonly db: Database) {}

  /** Creates the organisation, or returns the existing one with that slug. */
  async upsert(slug: string, name: string, q: Queryable = this.db): Promise<OrganizationRow> {
    const { rows } = await q.query<OrganizationRow>(
      `INSERT INTO organizations (slug, name) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, slug, name`,
      [slug, name],
    );
    return rows[0];
  }

  /** A new organisation; undefined when the slug is taken. */
  async insert(slug: string, name: string, q: Queryable): Promise<OrganizationRow | undefined> {
    const { rows } = await q.query<OrganizationRow>(
      `INSERT INTO organizations (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING
       RETURNING id, slug, name`,
      [slug, name],
    );
    return rows[0];
  }

  async findById(id: string): Promise<OrganizationRow | undefined> {
    const { rows } = await this.db.query<OrganizationRow>(
      'SELECT id, slug, name FROM organizations WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /** Every organisation's id. */
  async listIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM organizations ORDER BY id');
    return rows.map((row) => row.id);
  }
}
