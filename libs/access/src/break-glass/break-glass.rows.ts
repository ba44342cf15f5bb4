/** A break-glass grant as it was given. */
export interface BreakGlassGrantRow {
  id: string;
  organizationId: string;
  patientId: string;
  userId: string;
  reason: string;
  grantedAt: Date;
  expiresAt: Date;
}

/** A grant as admins list it: who, for which patient, and whether it still runs. */
export interface BreakGlassListRow extends BreakGlassGrantRow {
  userName: string;
  patientName: string;
  active: boolean;
}
