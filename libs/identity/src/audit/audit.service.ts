import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';
import type { Principal } from '../access/principal';
import type { UnauthenticatedActor } from '../identity.rows';
import { AuditRepository } from './audit.repository';

export type AuditAction =
  | 'patient.create'
  | 'patient.list'
  | 'patient.read'
  | 'patient.contact.set'
  | 'patient.protocols.set'
  | 'patient.rule_override.set'
  | 'patient.rule_override.end'
  | 'patient.rule_override.read'
  | 'patient.baselines.set'
  | 'patient.baselines.read'
  | 'device.register'
  | 'device.list'
  | 'device.read'
  | 'device.deactivate'
  | 'device.reactivate'
  | 'device.rotate_secret'
  | 'device.reassign'
  | 'vitals.read'
  | 'ingest.rejections.read'
  | 'alert.list'
  | 'alert.read'
  | 'alert.act'
  | 'alert.replay'
  | 'alert.stream'
  | 'escalation.policy.read'
  | 'escalation.policy.set'
  | 'oncall.read'
  | 'oncall.set'
  | 'notification_preferences.read'
  | 'notification_preferences.set'
  | 'visit.create'
  | 'visit.read'
  | 'visit.list'
  | 'visit.join'
  | 'visit.end'
  | 'visit.cancel'
  | 'visit.notes'
  | 'visit.update'
  | 'visit.missed'
  | 'visit.link.issue'
  | 'visit.link.redeem'
  | 'visit.webhook.rejected'
  | 'care_time.read'
  | 'care_time.record'
  | 'care_time.void'
  | 'auth.login.locked';

export type { UnauthenticatedActor };

/**
 * Records who touched which patient data. Written before the data is returned, and a failed
 * write fails the request: an access that cannot be audited does not happen.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async record(
    principal: Principal,
    action: AuditAction,
    target: {
      resourceType: string;
      resourceId?: string | null;
      patientId?: string | null;
      outcome?: 'allowed' | 'denied';
    },
    /** The transaction of the change being recorded, so the change and its audit row commit together. */
    q?: Queryable,
  ): Promise<void> {
    await this.audit.insert(
      {
        organizationId: principal.organizationId,
        actorUserId: principal.userId,
        actorRole: principal.role,
        action,
        resourceType: target.resourceType,
        resourceId: target.resourceId ?? null,
        patientId: target.patientId ?? null,
        outcome: target.outcome ?? 'allowed',
        requestId: principal.requestId ?? null,
      },
      q,
    );
  }

  /**
   * Records what someone without an account did, or tried: a patient redeeming a visit link,
   * LiveKit's webhook (or a forgery of it), the platform's own jobs.
   */
  async recordUnauthenticated(
    actor: { role: UnauthenticatedActor; organizationId: string | null; requestId?: string | null },
    action: AuditAction,
    target: {
      resourceType: string;
      resourceId?: string | null;
      patientId?: string | null;
      outcome?: 'allowed' | 'denied';
    },
    q?: Queryable,
  ): Promise<void> {
    await this.audit.insert(
      {
        organizationId: actor.organizationId,
        actorUserId: null,
        actorRole: actor.role,
        action,
        resourceType: target.resourceType,
        resourceId: target.resourceId ?? null,
        patientId: target.patientId ?? null,
        outcome: target.outcome ?? 'allowed',
        requestId: actor.requestId ?? null,
      },
      q,
    );
  }
}
