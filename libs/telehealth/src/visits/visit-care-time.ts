import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';

/** A completed visit's entry in the patient's care-time ledger. */
export interface VisitCareTimeEntry {
  organizationId: string;
  patientId: string;
  visitId: string;
  seconds: number;
  performedAt: Date;
  performedBy: string;
  note?: string;
}

/**
 * Where a completed visit's time goes: the care domain's ledger
 * (`CareTimeService.recordVisitTime`), in the visit's transaction.
 */
@Injectable()
export class VisitCareTime {
  async record(_q: Queryable, _entry: VisitCareTimeEntry): Promise<void> {
    // Wired to @homeward/care's CareTimeService once that domain lands.
  }
}
