import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { UserRole } from '@homeward/contracts';
import type { UserRow } from '../identity.rows';

const COLUMNS = `id, organization_id AS "organizationId", email, display_name AS "displayName", role,
  password_hash AS "passwordHash", disabled_at AS "disabledAt"`;

@Injectable()
export class UserRepository {
  constructor(private readonly db: Database) {}

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0];
  }

  async findInOrganization(organizationId: string, id: string): Promise<UserRow | undefined> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
    return rows[0];
  }

  async listActive(organizationId: string): Promise<UserRow[]> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE organization_id = $1 AND disabled_at IS NULL
       ORDER BY display_name, id`,
      [organizationId],
    );
    return rows;
  }

  async listActiveInRole(organizationId: string, role: UserRole): Promise<UserRow[]> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE organization_id = $1 AND role = $2 AND disabled_at IS NULL
       ORDER BY created_at, id`,
      [organizationId, role],
    );
    return rows;
  }

  /** Creates the user, or resets role, name and password of the one with that email. */
  async upsert(
    user: {
      organizationId: string;
      email: string;
      displayName: string;
      role: UserRole;
      passwordHash: string;
    },
    q: Queryable = this.db,
  ): Promise<UserRow> {
    const { rows } = await q.query<UserRow>(
      `INSERT INTO users (organization_id, email, display_name, role, password_hash)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lower(email)) DO UPDATE
         SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash
       RETURNING ${COLUMNS}`,
      [user.organizationId, user.email, user.displayName, user.role, user.passwordHash],
    );
    return rows[0];
  }
}
