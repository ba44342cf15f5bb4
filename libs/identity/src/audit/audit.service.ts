import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';
import type { Principal } from '../principal';
import type { AuditAccessRow, AuditChainRow, UnauthenticatedActor } from '../identity.rows';
import { AUDIT_GENESIS_HASH, auditRowHash } from './audit-chain';
import { AuditRepository, type AuditScopeCondition } from './audit.repository';

/**
 * What an audit row says was done, `<resource>.<verb>` (`patient.read`, `visit.link.redeem`).
 * Open: each domain declares its own actions as a const list in its lib (`ALERTING_AUDIT_ACTIONS`),
 * so identity names none of the domains above it. The strings are stored data: never rename one.
 */
export type AuditAction = `${string}.${string}`;

/** Lower-case words joined by dots, at least two: what every stored action looks like. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

export function isAuditAction(value: string): value is AuditAction {
  return AUDIT_ACTION_PATTERN.test(value);
}

/** A domain's audit actions, checked against the pattern once, when its lib loads. */
export function defineAuditActions<const A extends readonly AuditAction[]>(actions: A): A {
  const invalid = (actions as readonly string[]).find((action) => !isAuditAction(action));
  if (invalid !== undefined) throw new InvalidAuditActionError(invalid);
  return Object.freeze(actions);
}

/** Thrown before anything is written when an action does not match `AUDIT_ACTION_PATTERN`. */
export class InvalidAuditActionError extends Error {
  constructor(readonly action: string) {
    super(`Not a domain.verb audit action: ${JSON.stringify(action)}`);
  }
}

export type { UnauthenticatedActor, AuditAccessRow, AuditScopeCondition };

/** What `verifyChain` found: every row checked, or the first that does not hold. */
export interface AuditChainVerdict {
  ok: boolean;
  checked: number;
  firstBroken?: { id: string; occurredAt: string; reason: 'content_changed' | 'chain_broken' };
}

const VERIFY_PAGE = 1000;

/** Why a row breaks its chain, or null when it holds. */
function chainFault(row: AuditChainRow): 'content_changed' | 'chain_broken' | null {
  if (auditRowHash(row) !== row.rowHash) return 'content_changed';
  const expected = row.chainSeq === '1' ? AUDIT_GENESIS_HASH : row.previousRowHash;
  // A missing predecessor (deleted) or one whose hash differs both break the link.
  return expected === row.prevHash ? null : 'chain_broken';
}

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
    if (!isAuditAction(action)) throw new InvalidAuditActionError(action);
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
    if (!isAuditAction(action)) throw new InvalidAuditActionError(action);
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

  /**
   * Walks the caller's organisation's chain over [from, to), recomputing each row's hash from its
   * stored fields and checking its link to the row before it. Audited as `audit.verify`.
   */
  async verifyChain(
    principal: Principal,
    range: { from: Date | null; to: Date | null },
  ): Promise<AuditChainVerdict> {
    await this.record(principal, 'audit.verify', { resourceType: 'audit_chain' });
    let checked = 0;
    let afterSeq = '0';
    for (;;) {
      const rows = await this.audit.chainPage(principal.organizationId, range, afterSeq, VERIFY_PAGE);
      for (const row of rows) {
        checked += 1;
        const reason = chainFault(row);
        if (reason)
          return { ok: false, checked, firstBroken: { id: row.id, occurredAt: row.occurredAt, reason } };
      }
      if (rows.length < VERIFY_PAGE) return { ok: true, checked };
      afterSeq = rows[rows.length - 1].chainSeq;
    }
  }

  /** The audit rows about one patient, newest first, within `scope` (the caller checks the patient). */
  async patientAccessLog(
    scope: AuditScopeCondition,
    patientId: string,
    page: { limit: number; offset: number },
  ): Promise<AuditAccessRow[]> {
    return this.audit.patientAccessLog(scope, patientId, page);
  }
}
