import { Injectable } from '@nestjs/common';
import { AuditService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import { Database, ResourceNotFoundError, type Queryable } from '@homeward/platform';
import type { CareTimeEntryRow } from '../care.rows';
import {
  checkCareTimeEntry,
  checkText,
  MAX_CARE_TIME_NOTE_LENGTH,
  MAX_VOID_REASON_LENGTH,
} from './care-time-entry.rules';
import { CareTimeAlreadyVoidedError, CareTimeRefusedError } from './care-time.errors';
import { formatMonth, monthAt, monthBounds, parseMonth } from './care-time-month';
import { CareTimeRepository } from './care-time.repository';

/** A patient's care time in one month of the patient's calendar. */
export interface CareTimeMonth {
  month: string;
  items: CareTimeEntryRow[];
  /** Voided entries are listed but not counted. */
  totalSeconds: number;
  interactiveSeconds: number;
}

/** Work logged by hand: video visits come only from the telehealth domain. */
export interface CareTimeLog {
  kind: 'call' | 'review' | 'other';
  seconds: number;
  interactive: boolean;
  performedAt: Date;
  note?: string;
}

/**
 * The care-time ledger billing counts: entries are recorded and voided with a reason, never
 * edited, and every read and change is audited (a change in its own transaction).
 */
@Injectable()
export class CareTimeService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
    private readonly entries: CareTimeRepository,
    private readonly audit: AuditService,
  ) {}

  /** The patient's entries in `month` (YYYY-MM, default the current one) of the patient's time zone. */
  async month(principal: Principal, patientId: string, month: string | undefined): Promise<CareTimeMonth> {
    const parsed = month === undefined ? undefined : parseMonth(month);
    if (parsed === null)
      throw new CareTimeRefusedError({
        code: 'care_time_month',
        message: 'month must be a calendar month written YYYY-MM, such as 2026-03',
      });
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    const calendarMonth = parsed ?? monthAt(new Date(), patient.timeZone);
    const { from, to } = monthBounds(calendarMonth, patient.timeZone);
    const items = await this.entries.listBetween(this.access.patientScope(principal), patientId, from, to);
    await this.audit.record(principal, 'care_time.read', {
      resourceType: 'care_time',
      resourceId: patientId,
      patientId,
    });
    const counted = items.filter((item) => item.voidedAt === null);
    const sum = (rows: CareTimeEntryRow[]) => rows.reduce((total, row) => total + row.seconds, 0);
    return {
      month: formatMonth(calendarMonth),
      items,
      totalSeconds: sum(counted),
      interactiveSeconds: sum(counted.filter((item) => item.interactive)),
    };
  }

  /** Logs work done for the patient by the caller. */
  async record(principal: Principal, patientId: string, log: CareTimeLog): Promise<CareTimeEntryRow> {
    const refused = checkCareTimeEntry(log, new Date());
    if (refused) throw new CareTimeRefusedError(refused);
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    return this.db.transaction(async (tx) => {
      const entry = await this.entries.insert(
        {
          organizationId: patient.organizationId,
          patientId,
          kind: log.kind,
          interactive: log.interactive,
          seconds: log.seconds,
          performedAt: log.performedAt,
          performedBy: principal.userId,
          visitId: null,
          note: log.note?.trim() || null,
        },
        tx,
      );
      if (!entry) throw new Error('A care-time entry without a visit was not inserted');
      await this.audit.record(
        principal,
        'care_time.record',
        { resourceType: 'care_time_entry', resourceId: entry.id, patientId },
        tx,
      );
      return entry;
    });
  }

  /** Voids one of the patient's entries with a reason; an entry is voided once. */
  async void(
    principal: Principal,
    patientId: string,
    entryId: string,
    reason: string,
  ): Promise<CareTimeEntryRow> {
    const trimmed = reason.trim();
    const refused =
      trimmed === ''
        ? { code: 'care_time_reason', message: 'reason must say why the entry is voided' }
        : checkText('reason', trimmed, MAX_VOID_REASON_LENGTH);
    if (refused) throw new CareTimeRefusedError(refused);
    await this.patients.get(principal, patientId, 'patient.read');
    const scope = this.access.patientScope(principal);
    return this.db.transaction(async (tx) => {
      const voided = await this.entries.void(
        scope,
        { patientId, entryId, voidedBy: principal.userId, reason: trimmed },
        tx,
      );
      if (!voided) {
        const entry = await this.entries.find(scope, patientId, entryId, tx);
        if (entry) throw new CareTimeAlreadyVoidedError(entry);
        throw new ResourceNotFoundError('Care-time entry', entryId);
      }
      await this.audit.record(
        principal,
        'care_time.void',
        { resourceType: 'care_time_entry', resourceId: entryId, patientId },
        tx,
      );
      return voided;
    });
  }

  /** Records a completed video visit's interactive time, once per visit (idempotent on visitId). */
  async recordVisitTime(
    client: Queryable,
    entry: {
      organizationId: string;
      patientId: string;
      visitId: string;
      seconds: number;
      performedAt: Date;
      performedBy: string | null;
      note?: string;
    },
  ): Promise<void> {
    // The visit's own clock measured it, so only the ledger's bounds apply, not the request window.
    if (!Number.isInteger(entry.seconds) || entry.seconds < 1)
      throw new RangeError(`A video visit's seconds must be a positive whole number, not ${entry.seconds}`);
    const refused =
      entry.note === undefined ? null : checkText('note', entry.note, MAX_CARE_TIME_NOTE_LENGTH);
    if (refused) throw new RangeError(refused.message);
    await this.entries.insert(
      {
        organizationId: entry.organizationId,
        patientId: entry.patientId,
        kind: 'video_visit',
        interactive: true,
        seconds: entry.seconds,
        performedAt: entry.performedAt,
        performedBy: entry.performedBy,
        visitId: entry.visitId,
        note: entry.note?.trim() || null,
      },
      client,
    );
  }
}
