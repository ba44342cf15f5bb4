import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { UserRole } from '@homeward/contracts';
import type { UserListRow, UserRow } from '../identity.rows';

const COLUMNS = `id, organization_id AS "organizationId", email, display_name AS "displayName", role,
  password_hash AS "passwordHash", disabled_at AS "disabledAt", created_at AS "createdAt"`;

@Injectable()
export class UserRepository {
  constructor(private readonly db: Database) {}

  async findByEmail(email: string, q: Queryable = this.db): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [
      email,
    ]);
    return rows[0];
  }

  async findInOrganization(
    organizationId: string,
    id: string,
    q: Queryable = this.db,
  ): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(
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

  /**
   * The organisation's users by name (disabled ones unless `activeOnly`), with the total, and
   * whether each has an authenticator app set up.
   */
  async listPage(
    organizationId: string,
    page: { limit: number; offset: number; activeOnly: boolean },
  ): Promise<{ rows: UserListRow[]; total: number }> {
    const { rows } = await this.db.query<UserListRow & { total: string }>(
      `SELECT ${COLUMNS},
              EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = users.id AND m.confirmed_at IS NOT NULL) AS "mfaEnrolled",
              count(*) OVER () AS total FROM users
       WHERE organization_id = $1 AND (NOT $4 OR disabled_at IS NULL)
       ORDER BY lower(display_name), id LIMIT $2 OFFSET $3`,
      [organizationId, page.limit, page.offset, page.activeOnly],
    );
    return {
      rows: rows.map(({ total: _total, ...row }) => row),
      total: rows.length > 0 ? Number(rows[0].total) : 0,
    };
  }

  /**
   * The organisation's active admins who can sign in (a password set), locked until `q` commits:
   * two admins demoting or disabling each other at once queue here, and the second sees the first's change.
   */
  async lockActiveAdmins(organizationId: string, q: Queryable): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT id FROM users
       WHERE organization_id = $1 AND role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL
       ORDER BY id FOR UPDATE`,
      [organizationId],
    );
    return rows.map((row) => row.id);
  }

  /** A new user without a password (they set it by accepting an invitation); undefined if the email is taken. */
  async insertInvited(
    user: { organizationId: string; email: string; displayName: string; role: UserRole },
    q: Queryable,
  ): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(
      `INSERT INTO users (organization_id, email, display_name, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) DO NOTHING
       RETURNING ${COLUMNS}`,
      [user.organizationId, user.email, user.displayName, user.role],
    );
    return rows[0];
  }

  async update(
    organizationId: string,
    id: string,
    change: { role?: UserRole; displayName?: string },
    q: Queryable,
  ): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(
      `UPDATE users SET role = coalesce($3, role), display_name = coalesce($4, display_name)
       WHERE organization_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [organizationId, id, change.role ?? null, change.displayName ?? null],
    );
    return rows[0];
  }

  async setDisabled(
    organizationId: string,
    id: string,
    disabled: boolean,
    q: Queryable,
  ): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(
      `UPDATE users SET disabled_at = CASE WHEN $3 THEN coalesce(disabled_at, now()) END
       WHERE organization_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [organizationId, id, disabled],
    );
    return rows[0];
  }

  async setPassword(id: string, passwordHash: string, q: Queryable): Promise<void> {
    await q.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
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
