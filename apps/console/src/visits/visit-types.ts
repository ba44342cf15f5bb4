import type { Schemas } from '../api/client';

/** Video visits as the API answers them (libs/telehealth's DTOs, through the generated schema). */
export type VisitSummary = Schemas['VisitSummaryDto'];
export type VisitDetail = Schemas['VisitDetailDto'];
export type CreatedVisit = Schemas['VisitCreatedDto'];
export type PatientLink = Schemas['VisitLinkDto'];
export type VisitParticipant = Schemas['VisitParticipantDto'];
/** What LiveKit needs to connect: its URL and a short-lived token for one room. */
export type JoinGrant = Schemas['VisitJoinDto'];
export type PatientJoinGrant = Schemas['VisitCodeJoinDto'];
