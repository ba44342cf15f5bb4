import type { UserRole } from '@homeward/contracts';

/** A care team of an organisation, as `care_teams` stores it. */
export interface CareTeamRow {
  id: string;
  organizationId: string;
  name: string;
  createdAt: Date;
}

/** A member of a care team, with what a team's page shows of them. */
export interface CareTeamMemberRow {
  careTeamId: string;
  userId: string;
  displayName: string;
  role: UserRole;
  addedAt: Date;
}

/** A care team with its members and how many patients it holds. */
export interface CareTeamListRow extends CareTeamRow {
  members: CareTeamMemberRow[];
  patientCount: number;
}
