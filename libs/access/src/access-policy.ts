import { Injectable } from '@nestjs/common';
import { careTeamRoom, organizationRoom, userRoom } from '@homeward/contracts';
import { type Principal, principalKind } from '@homeward/identity';
import { CareTeamRepository } from './care-teams/care-team.repository';
import { careTeamScope, organizationScope, type PatientScope } from './patient-scope';

/** The one place that decides who sees which patients, over REST and over sockets. */
@Injectable()
export class AccessPolicy {
  constructor(private readonly careTeams: CareTeamRepository) {}

  /** Admins see their organisation; coordinators and clinicians the patients of their care teams. */
  patientScope(principal: Principal): PatientScope {
    switch (principalKind(principal)) {
      case 'staff':
        return principal.role === 'admin'
          ? organizationScope(principal.organizationId)
          : careTeamScope(principal.organizationId, principal.userId);
    }
  }

  /**
   * The rooms a principal's socket joins: it receives the events of every patient in its scope
   * (the organisation's room for admins, one room per care team for the others), and the
   * notifications addressed to the user. Membership changes after the join reach live sockets
   * through `CareTeamService`.
   */
  async socketRooms(principal: Principal): Promise<string[]> {
    switch (principalKind(principal)) {
      case 'staff': {
        if (principal.role === 'admin')
          return [organizationRoom(principal.organizationId), userRoom(principal.userId)];
        const teams = await this.careTeams.teamIdsOfUser(principal.userId);
        return [...teams.map(careTeamRoom), userRoom(principal.userId)];
      }
    }
  }

  /** The rooms a notification for one user goes to: that user's sockets only. */
  userRooms(userId: string): string[] {
    return [userRoom(userId)];
  }

  /**
   * The rooms an event about a patient goes to: the sockets of everyone whose scope holds the
   * patient, that is the organisation's admins, the members of the patient's care teams, and the
   * users reaching it from outside them (break-glass holders, the assignees of its active alerts:
   * an on-call clinician paged for it sees it change live).
   */
  async patientRooms(patient: { organizationId: string; patientId: string }): Promise<string[]> {
    const { teamIds, userIds } = await this.careTeams.patientAudience(patient.patientId);
    return [organizationRoom(patient.organizationId), ...teamIds.map(careTeamRoom), ...userIds.map(userRoom)];
  }
}
