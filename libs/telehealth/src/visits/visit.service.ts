import { randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import { AlertVisitEvents } from '@homeward/alerting';
import { AppConfig, publicUrl } from '@homeward/config';
import { AuditService } from '@homeward/identity';
import type { TelehealthAuditAction } from '../telehealth.audit';
import { AccessPolicy, ConsentService, type Principal } from '@homeward/access';
import { InjectLogger, type Logger } from '@homeward/observability';
import { PatientService } from '@homeward/patients';
import { Database, ResourceNotFoundError, type Queryable } from '@homeward/platform';
import { generateLinkCode, hashLinkCode, joinUrl, linkExpiry } from '../links/link-code';
import { VisitLinkRepository } from '../links/visit-link.repository';
import { LiveKitRooms } from '../livekit/livekit-rooms';
import { VisitScheduler } from '../no-show/visit-scheduler';
import type { VisitParticipantRow, VisitRow } from '../telehealth.rows';
import { VisitClosedError } from './visit.errors';
import { VisitLifecycle } from './visit-lifecycle';
import { VisitParticipantRepository } from './visit-participant.repository';
import { VisitPublisher } from './visit-publisher';
import { visitActionAllowed, type VisitAction } from './visit-status';
import { VisitRepository, type VisitListFilter } from './visit.repository';

/** At most this many people in a visit's room: staff, the patient, a few guests. */
export const VISIT_MAX_PARTICIPANTS = 8;
const DAY_MS = 86_400_000;

/** A patient's or guest's link as handed out: the code is only ever here, never stored. */
export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

/**
 * Video visits as staff manage them: creating one (with its LiveKit room and the patient's
 * link), reading, ending, cancelling and notes. Each change is audited in its transaction and
 * pushed to the organisation's consoles after it commits.
 */
@Injectable()
export class VisitService {
  constructor(
    private readonly db: Database,
    private readonly visits: VisitRepository,
    private readonly participants: VisitParticipantRepository,
    private readonly links: VisitLinkRepository,
    private readonly lifecycle: VisitLifecycle,
    private readonly livekit: LiveKitRooms,
    private readonly publisher: VisitPublisher,
    private readonly scheduler: VisitScheduler,
    private readonly patients: PatientService,
    private readonly alertEvents: AlertVisitEvents,
    private readonly access: AccessPolicy,
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return this.livekit.configured;
  }

  /**
   * Creates the LiveKit room first: if LiveKit does not answer, nothing is written (503). If the
   * write then fails, the room is deleted again.
   */
  async create(
    principal: Principal,
    request: { patientId: string; alertId?: string; scheduledFor?: string },
  ): Promise<{ visit: VisitRow; patientLink: IssuedLink }> {
    this.livekit.ensureConfigured();
    const now = new Date();
    const scheduledFor = request.scheduledFor ? this.scheduledFor(request.scheduledFor, now) : null;
    await this.patients.get(principal, request.patientId, 'visit.create');
    // Before the room exists: a patient who has not consented to video visits gets none.
    await this.consents.requireActiveConsent(request.patientId, 'video_visits');
    const id = randomUUID();
    const roomName = `v_${randomBytes(16).toString('hex')}`;
    const start = Math.max(scheduledFor?.getTime() ?? 0, now.getTime());
    // The room waits for its first participant until the patient's link expires.
    const emptyTimeout = Math.ceil((start - now.getTime()) / 1000) + this.config.VISIT_LINK_TTL_MINUTES * 60;
    // Once everyone has left, it stays open for the no-show window, so a dropped connection can return.
    const departureTimeout = this.config.VISIT_NO_SHOW_MINUTES * 60;
    await this.livekit.createRoom(roomName, {
      emptyTimeout,
      departureTimeout,
      maxParticipants: VISIT_MAX_PARTICIPANTS,
    });
    let created: { visit: VisitRow; patientLink: IssuedLink };
    try {
      created = await this.db.transaction(async (tx) => {
        const visit = await this.visits.insert(
          {
            id,
            organizationId: principal.organizationId,
            patientId: request.patientId,
            alertId: request.alertId ?? null,
            createdBy: principal.userId,
            roomName,
            scheduledFor,
          },
          tx,
        );
        if (request.alertId) await this.recordAlertEvent(tx, principal, visit, request.alertId);
        await this.audit.record(principal, 'visit.create', this.target(visit), tx);
        const patientLink = await this.issueLink(tx, principal, visit, 'patient', null);
        return { visit, patientLink };
      });
    } catch (error) {
      await this.livekit.closeRoom(roomName).catch((closing: unknown) => {
        this.logger.warn(
          { err: closing, room: roomName },
          'Could not delete the room of a visit that was not created',
        );
      });
      throw error;
    }
    await this.publisher.visitUpdated(created.visit);
    await this.scheduler.scheduleNoShow(created.visit, principal.requestId);
    return created;
  }

  async list(principal: Principal, filter: VisitListFilter): Promise<VisitRow[]> {
    this.livekit.ensureConfigured();
    await this.audit.record(principal, 'visit.list', {
      resourceType: 'visit',
      patientId: filter.patientId ?? null,
    });
    return this.visits.list(this.access.patientScope(principal), filter);
  }

  async get(
    principal: Principal,
    id: string,
  ): Promise<{ visit: VisitRow; participants: VisitParticipantRow[] }> {
    this.livekit.ensureConfigured();
    const visit = await this.findAudited(principal, id, 'visit.read');
    return { visit, participants: await this.participants.listForVisit(visit.id) };
  }

  /** Removes everyone from the room and deletes it (503 if LiveKit does not answer), then completes the visit. */
  async end(principal: Principal, id: string): Promise<VisitRow> {
    return this.close(principal, id, 'end');
  }

  /** Cancels a visit that has not started; its room is closed and its links stop working. */
  async cancel(principal: Principal, id: string): Promise<VisitRow> {
    return this.close(principal, id, 'cancel');
  }

  async setNotes(principal: Principal, id: string, text: string): Promise<VisitRow> {
    this.livekit.ensureConfigured();
    const visit = await this.db.transaction(async (tx) => {
      const found = await this.lockAudited(tx, principal, id, 'visit.notes');
      const updated = await this.visits.setNotes({ id: found.id, notes: text, userId: principal.userId }, tx);
      await this.audit.record(principal, 'visit.notes', this.target(updated), tx);
      return updated;
    });
    await this.publisher.visitUpdated(visit);
    return visit;
  }

  /** A new link for the patient (voiding the unused ones) or for a guest. */
  async issueLinkFor(
    principal: Principal,
    id: string,
    kind: 'patient' | 'guest',
    label: string | null,
  ): Promise<IssuedLink> {
    this.livekit.ensureConfigured();
    return this.db.transaction(async (tx) => {
      const visit = await this.lockAudited(tx, principal, id, 'visit.link.issue');
      this.ensureAllowed(visit, 'link', 'issue a link for');
      if (kind === 'patient') await this.links.voidUnusedPatientLinks(visit.id, tx);
      return this.issueLink(tx, principal, visit, kind, label);
    });
  }

  private async close(principal: Principal, id: string, action: 'end' | 'cancel'): Promise<VisitRow> {
    this.livekit.ensureConfigured();
    const auditAction = action === 'end' ? 'visit.end' : 'visit.cancel';
    const before = await this.findAudited(principal, id, auditAction, false);
    this.ensureAllowed(before, action, action);
    await this.livekit.closeRoom(before.roomName);
    const visit = await this.db.transaction(async (tx) => {
      const found = await this.lockAudited(tx, principal, id, auditAction);
      this.ensureAllowed(found, action, action);
      const now = new Date();
      const closed =
        action === 'end'
          ? await this.lifecycle.complete(found, now, tx)
          : await this.lifecycle.cancel(found, now, tx);
      await this.audit.record(principal, auditAction, this.target(closed), tx);
      return closed;
    });
    await this.publisher.visitUpdated(visit);
    return visit;
  }

  private async issueLink(
    tx: Queryable,
    principal: Principal,
    visit: VisitRow,
    kind: 'patient' | 'guest',
    label: string | null,
  ): Promise<IssuedLink> {
    const code = generateLinkCode();
    const expiresAt = linkExpiry(visit.scheduledFor, new Date(), this.config.VISIT_LINK_TTL_MINUTES);
    await this.links.insert(
      {
        visitId: visit.id,
        kind,
        codeHash: hashLinkCode(code),
        label,
        createdBy: principal.userId,
        expiresAt,
      },
      tx,
    );
    await this.audit.record(principal, 'visit.link.issue', this.target(visit), tx);
    return { url: joinUrl(publicUrl(this.config), code), expiresAt };
  }

  private async recordAlertEvent(tx: Queryable, principal: Principal, visit: VisitRow, alertId: string) {
    const recorded = await this.alertEvents.record(tx, {
      alertId,
      organizationId: visit.organizationId,
      patientId: visit.patientId,
      actorUserId: principal.userId,
      action: 'video_visit',
      visitId: visit.id,
    });
    if (!recorded) throw new ResourceNotFoundError('Alert', alertId);
  }

  private scheduledFor(value: string, now: Date): Date {
    const date = new Date(value);
    const time = date.getTime();
    if (Number.isNaN(time) || time < now.getTime() - DAY_MS || time > now.getTime() + 366 * DAY_MS)
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_value',
        message: 'scheduledFor must be a time between yesterday and a year from now',
      });
    return date;
  }

  private ensureAllowed(visit: VisitRow, action: VisitAction, verb: string): void {
    if (!visitActionAllowed(action, visit.status)) throw new VisitClosedError(visit.id, visit.status, verb);
  }

  /** The visit in the caller's scope, or 404 (audited as denied, never 403, so ids do not leak). */
  private async findAudited(
    principal: Principal,
    id: string,
    action: TelehealthAuditAction,
    auditAllowed = true,
  ): Promise<VisitRow> {
    const visit = await this.visits.findInScope(this.access.patientScope(principal), id);
    if (!visit || auditAllowed)
      await this.audit.record(principal, action, {
        resourceType: 'visit',
        resourceId: id,
        patientId: visit?.patientId ?? null,
        outcome: visit ? 'allowed' : 'denied',
      });
    if (!visit) throw new ResourceNotFoundError('Visit', id);
    return visit;
  }

  private async lockAudited(
    tx: Queryable,
    principal: Principal,
    id: string,
    action: TelehealthAuditAction,
  ): Promise<VisitRow> {
    const visit = await this.visits.findInScopeForUpdate(this.access.patientScope(principal), id, tx);
    if (visit) return visit;
    // Denied attempts are recorded outside the transaction the 404 rolls back.
    await this.audit.record(principal, action, {
      resourceType: 'visit',
      resourceId: id,
      outcome: 'denied',
    });
    throw new ResourceNotFoundError('Visit', id);
  }

  private target(visit: VisitRow) {
    return { resourceType: 'visit', resourceId: visit.id, patientId: visit.patientId };
  }
}
