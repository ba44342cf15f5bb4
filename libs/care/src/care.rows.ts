/** What the time was spent on; `video_visit` is written only by the telehealth domain. */
export type CareTimeKind = 'call' | 'review' | 'other' | 'video_visit';

export interface CareTimeEntryRow {
  id: string;
  organizationId: string;
  patientId: string;
  kind: CareTimeKind;
  interactive: boolean;
  seconds: number;
  performedAt: Date;
  performedBy: string | null;
  visitId: string | null;
  note: string | null;
  createdAt: Date;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
}
