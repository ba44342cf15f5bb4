export * from './access-policy';
export * from './access.module';
export * from './database-scope';
export * from './patient-scope';
// Authentication (identity) establishes the principal; access is where the domains read it from.
export type { Principal, PrincipalKind, StaffPrincipal } from '@homeward/identity';
export * from './access.audit';
export { ConsentModule } from './consent/consent.module';
export { ConsentService } from './consent/consent.service';
export { NoConsentError, ConsentAlreadyRevokedError, InvalidConsentError } from './consent/consent.errors';
export type { ConsentRow } from './consent/consent.rows';
export { BreakGlassModule } from './break-glass/break-glass.module';
export { BreakGlassService, BREAK_GLASS_REASON_MAX_LENGTH } from './break-glass/break-glass.service';
export { BreakGlassAnnouncer, type BreakGlassAnnouncement } from './break-glass/break-glass-announcer';
export { InvalidBreakGlassReasonError } from './break-glass/break-glass.errors';
export type { BreakGlassGrantRow, BreakGlassListRow } from './break-glass/break-glass.rows';
export { CareTeamsModule } from './care-teams/care-teams.module';
export { CareTeamService } from './care-teams/care-team.service';
export {
  NoCareTeamError,
  NotCareTeamMemberError,
  CareTeamNameTakenError,
} from './care-teams/care-team.errors';
export type { CareTeamRow, CareTeamListRow, CareTeamMemberRow } from './care-teams/care-team.rows';
