import { Injectable } from '@nestjs/common';
import { ALERTS_NAMESPACE, careTeamRoom, userRoom } from '@homeward/contracts';
import { AuditService, NewUserCareTeams, type Principal } from '@homeward/identity';
import { Database, ResourceNotFoundError, SocketEmitter, type Queryable } from '@homeward/platform';
import { AccessPolicy } from '../access-policy';
import {
  CareTeamNameTakenError,
  CareTeamNotEmptyError,
  NoCareTeamError,
  NotCareTeamMemberError,
} from './care-team.errors';
import { CareTeamRepository } from './care-team.repository';
import type { CareTeamListRow, CareTeamRow } from './care-team.rows';

/**
 * Care teams: admins create them and choose their members; a patient's teams decide which
 * coordinators and clinicians see it (`AccessPolicy`). Every change commits with its audit row;
 * live sockets follow a membership change once it has committed.
 */
@Injectable()
export class CareTeamService implements NewUserCareTeams {
  constructor(
    private readonly db: Database,
    private readonly teams: CareTeamRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly sockets: SocketEmitter,
  ) {}

  async create(principal: Principal, name: string): Promise<CareTeamRow> {
    const trimmed = name.trim();
    return this.db.transaction(async (tx) => {
      const team = await this.teams.create(
        { organizationId: principal.organizationId, name: trimmed, createdBy: principal.userId },
        tx,
      );
      if (!team) throw new CareTeamNameTakenError(trimmed);
      await this.audit.record(
        principal,
        'care_team.create',
        { resourceType: 'care_team', resourceId: team.id },
        tx,
      );
      return team;
    });
  }

  async rename(principal: Principal, careTeamId: string, name: string): Promise<CareTeamRow> {
    const trimmed = name.trim();
    return this.db.transaction(async (tx) => {
      const team = await this.teams.rename(
        { organizationId: principal.organizationId, id: careTeamId, name: trimmed },
        tx,
      );
      if (team === 'taken') throw new CareTeamNameTakenError(trimmed);
      if (!team) throw new ResourceNotFoundError('Care team', careTeamId);
      await this.audit.record(
        principal,
        'care_team.rename',
        { resourceType: 'care_team', resourceId: careTeamId },
        tx,
      );
      return team;
    });
  }

  /**
   * Deletes a team that holds no patients, with its memberships (409 `care_team_not_empty`
   * otherwise: its patients would silently leave its members' sight). Its former members' live
   * sockets are closed, to reconnect with the rooms of the teams they still have.
   */
  async delete(principal: Principal, careTeamId: string): Promise<void> {
    const members = await this.db.transaction(async (tx) => {
      const team = await this.teams.lockWithPatientCount(principal.organizationId, careTeamId, tx);
      if (!team) throw new ResourceNotFoundError('Care team', careTeamId);
      if (team.patientCount > 0) throw new CareTeamNotEmptyError(team.patientCount);
      const removed = await this.teams.delete(principal.organizationId, careTeamId, tx);
      await this.audit.record(
        principal,
        'care_team.delete',
        { resourceType: 'care_team', resourceId: careTeamId },
        tx,
      );
      return removed;
    });
    if (members.length) this.sockets.disconnect(ALERTS_NAMESPACE, members.map(userRoom));
  }

  /** Every team of the caller's organisation, with its members and how many patients it holds. */
  async list(principal: Principal): Promise<CareTeamListRow[]> {
    const rows = await this.teams.listWithMembers(principal.organizationId);
    await this.audit.record(principal, 'care_team.list', { resourceType: 'care_team' });
    return rows;
  }

  /** Adds the user to the team; their open alert sockets start receiving its patients' events. */
  async addMember(principal: Principal, careTeamId: string, userId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.teamAndUserOrFail(principal, careTeamId, userId, tx);
      const added = await this.teams.addMember(
        { organizationId: principal.organizationId, careTeamId, userId, addedBy: principal.userId },
        tx,
      );
      if (added)
        await this.audit.record(
          principal,
          'care_team.member.add',
          { resourceType: 'care_team', resourceId: careTeamId },
          tx,
        );
    });
    this.sockets.join(ALERTS_NAMESPACE, [userRoom(userId)], [careTeamRoom(careTeamId)]);
  }

  /**
   * Removes the user from the team. Their alert sockets are closed, wherever they are held: the
   * console reconnects and is given the rooms (and the replay) of the scope it has now.
   */
  async removeMember(principal: Principal, careTeamId: string, userId: string): Promise<void> {
    const removed = await this.db.transaction(async (tx) => {
      await this.teamAndUserOrFail(principal, careTeamId, userId, tx);
      const done = await this.teams.removeMember(
        { organizationId: principal.organizationId, careTeamId, userId },
        tx,
      );
      if (done)
        await this.audit.record(
          principal,
          'care_team.member.remove',
          { resourceType: 'care_team', resourceId: careTeamId },
          tx,
        );
      return done;
    });
    if (removed) this.sockets.disconnect(ALERTS_NAMESPACE, [userRoom(userId)]);
  }

  /**
   * Replaces the patient's teams with `careTeamIds`. Admins choose among every team of the
   * organisation; a coordinator among their own teams only, and the patient's other teams stay.
   * A patient outside the caller's scope answers 404, audited as denied.
   */
  async setPatientTeams(
    principal: Principal,
    patientId: string,
    careTeamIds: readonly string[],
  ): Promise<string[]> {
    const scope = this.access.patientScope(principal);
    const ids = [...new Set(careTeamIds)];
    const teams = await this.db.transaction(async (tx) => {
      if (!(await this.teams.lockPatientInScope(scope, patientId, tx))) return undefined;
      const own =
        principal.role === 'admin' ? undefined : await this.teams.teamIdsOfUser(principal.userId, tx);
      await this.checkTeams(principal, ids, own, tx);
      // A coordinator's choice replaces the patient's teams among their own; the rest stay.
      const current = await this.teams.teamIdsOfPatient(patientId, tx);
      const kept = own ? current.filter((id) => !own.includes(id)) : [];
      await this.teams.setPatientTeams(
        {
          organizationId: principal.organizationId,
          patientId,
          careTeamIds: [...kept, ...ids],
          addedBy: principal.userId,
          replace: true,
        },
        tx,
      );
      await this.audit.record(
        principal,
        'care_team.patients.set',
        { resourceType: 'patient', resourceId: patientId, patientId },
        tx,
      );
      return this.teams.teamIdsOfPatient(patientId, tx);
    });
    if (teams) return teams;
    await this.audit.record(principal, 'care_team.patients.set', {
      resourceType: 'patient',
      resourceId: patientId,
      outcome: 'denied',
    });
    throw new ResourceNotFoundError('Patient', patientId);
  }

  /**
   * Puts a patient just registered by `principal` in its teams, in the registration's
   * transaction: those named (a coordinator's own, or any of the organisation's for an admin), or
   * else the registrar's own. An admin's patient without named teams stays unassigned; a
   * coordinator in no team is refused rather than registering a patient they could not see.
   */
  async assignNewPatient(
    principal: Principal,
    patientId: string,
    careTeamIds: readonly string[] | undefined,
    tx: Queryable,
  ): Promise<string[]> {
    const own = principal.role === 'admin' ? undefined : await this.teams.teamIdsOfUser(principal.userId, tx);
    const ids = careTeamIds ? [...new Set(careTeamIds)] : (own ?? []);
    if (careTeamIds) await this.checkTeams(principal, ids, own, tx);
    if (own && ids.length === 0) throw new NoCareTeamError();
    await this.teams.setPatientTeams(
      {
        organizationId: principal.organizationId,
        patientId,
        careTeamIds: ids,
        addedBy: principal.userId,
        replace: false,
      },
      tx,
    );
    return [...ids].sort();
  }

  /** Makes the new user a member of `careTeamIds` (teams of the admin's organisation), in `tx`. */
  async assignNewUser(
    principal: Principal,
    userId: string,
    careTeamIds: readonly string[],
    tx: Queryable,
  ): Promise<void> {
    const ids = [...new Set(careTeamIds)];
    await this.checkTeams(principal, ids, undefined, tx);
    for (const careTeamId of ids) {
      await this.teams.addMember(
        { organizationId: principal.organizationId, careTeamId, userId, addedBy: principal.userId },
        tx,
      );
      await this.audit.record(
        principal,
        'care_team.member.add',
        { resourceType: 'care_team', resourceId: careTeamId },
        tx,
      );
    }
  }

  /** The organisation's team named `name` with `userIds` as members (the demo's one team). */
  async ensureTeamWithMembers(
    organizationId: string,
    name: string,
    userIds: readonly string[],
  ): Promise<string> {
    return this.db.transaction(async (tx) => {
      const team = await this.teams.ensure(organizationId, name, tx);
      for (const userId of userIds)
        await this.teams.addMember({ organizationId, careTeamId: team.id, userId, addedBy: null }, tx);
      return team.id;
    });
  }

  /** Every team named exists in the caller's organisation (else 404) and, when `own` is given, is among it (else 403). */
  private async checkTeams(
    principal: Principal,
    ids: readonly string[],
    own: readonly string[] | undefined,
    tx: Queryable,
  ): Promise<void> {
    const found = await this.teams.findManyInOrganization(principal.organizationId, ids, tx);
    const missing = ids.find((id) => !found.some((team) => team.id === id));
    if (missing) throw new ResourceNotFoundError('Care team', missing);
    const foreign = own ? ids.filter((id) => !own.includes(id)) : [];
    if (foreign.length > 0) throw new NotCareTeamMemberError(foreign);
  }

  private async teamAndUserOrFail(
    principal: Principal,
    careTeamId: string,
    userId: string,
    tx: Queryable,
  ): Promise<void> {
    const [team] = await this.teams.findManyInOrganization(principal.organizationId, [careTeamId], tx);
    if (!team) throw new ResourceNotFoundError('Care team', careTeamId);
    if (!(await this.teams.userExists(principal.organizationId, userId, tx)))
      throw new ResourceNotFoundError('User', userId);
  }
}
