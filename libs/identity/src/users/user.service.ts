import { Injectable } from '@nestjs/common';
import type { UserRole } from '@homeward/contracts';
import type { Queryable } from '@homeward/platform';
import type { UserRow } from '../identity.rows';
import { UserRepository } from './user.repository';

@Injectable()
export class UserService {
  constructor(private readonly users: UserRepository) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.users.findByEmail(email);
  }

  /** Whether `userId` is an active user of the principal's organisation (someone work can go to). */
  async isColleague(principal: { organizationId: string }, userId: string): Promise<boolean> {
    const user = await this.users.findInOrganization(principal.organizationId, userId);
    return Boolean(user && !user.disabledAt);
  }

  /** Whether `userId` is an active user of the principal's organisation with `role`. */
  async isColleagueInRole(
    principal: { organizationId: string },
    userId: string,
    role: UserRole,
  ): Promise<boolean> {
    const user = await this.users.findInOrganization(principal.organizationId, userId);
    return Boolean(user && !user.disabledAt && user.role === role);
  }

  /** The user a principal acts for, if still active in its organisation. */
  async findActive(principal: { organizationId: string; userId: string }): Promise<UserRow | undefined> {
    const user = await this.users.findInOrganization(principal.organizationId, principal.userId);
    return user && !user.disabledAt ? user : undefined;
  }

  /** The organisation's active users, by name: who work can be handed to. */
  colleagues(principal: { organizationId: string }): Promise<UserRow[]> {
    return this.users.listActive(principal.organizationId);
  }

  /** The organisation's active users of `role`, oldest account first (who an escalation reaches). */
  activeInRole(organizationId: string, role: UserRole): Promise<UserRow[]> {
    return this.users.listActiveInRole(organizationId, role);
  }

  /**
   * Creates the user, or resets role, name and password of the one with that email. Takes the
   * hash (`hashPassword`), so users sharing a password cost one hash, not one each.
   */
  upsert(
    user: {
      organizationId: string;
      email: string;
      displayName: string;
      role: UserRole;
      passwordHash: string;
    },
    q?: Queryable,
  ): Promise<UserRow> {
    return this.users.upsert(user, q);
  }
}
