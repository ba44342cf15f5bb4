import type { Queryable } from '@homeward/platform';
import type { Principal } from '../principal';

/**
 * Puts a user an admin just created into care teams, in the creation's transaction. Care teams
 * belong to the access lib, above identity, which provides this (a global provider there).
 */
export abstract class NewUserCareTeams {
  abstract assignNewUser(
    principal: Principal,
    userId: string,
    careTeamIds: readonly string[],
    tx: Queryable,
  ): Promise<void>;
}
