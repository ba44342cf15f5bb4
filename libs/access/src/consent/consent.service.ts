import { Injectable } from '@nestjs/common';
import type { ConsentScope, RecordableConsentMethod } from '@homeward/contracts';
import { AuditService } from '@homeward/identity';
import { Database, ResourceNotFoundError, type Queryable } from '@homeward/platform';
import { AccessPolicy } from '../access-policy';
import type { Principal } from '@homeward/identity';
import { ConsentAlreadyRevokedError, InvalidConsentError, NoConsentError } from './consent.errors';
import { ConsentRepository } from './consent.repository';
import type { ConsentRow } from './consent.rows';
import { canRevoke, consentRecordProblem } from './consent.rules';

/**
 * A patient's consents: recorded, listed and revoked by staff in scope, each audited; and the
 * question other domains ask before acting for a patient ("has this patient consented to X?").
 * Ingest asks it in the statement that stores a batch instead (see the monitoring lib).
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly db: Database,
    private readonly consents: ConsentRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async record(
    principal: Principal,
    patientId: string,
    input: { scope: ConsentScope; method: string; givenAt?: Date; documentReference?: string | null },
    /** A transaction to record it in (registering a patient with its consent); its own otherwise. */
    within?: Queryable,
  ): Promise<ConsentRow> {
    const givenAt = input.givenAt ?? new Date();
    const problem = consentRecordProblem({ method: input.method, givenAt }, new Date());
    if (problem) throw new InvalidConsentError(problem);
    const scope = this.access.patientScope(principal);
    const work = async (tx: Queryable) => {
      const row = await this.consents.insertInScope(
        scope,
        {
          patientId,
          scope: input.scope,
          method: input.method,
          givenAt,
          recordedBy: principal.userId,
          documentReference: input.documentReference ?? null,
        },
        tx,
      );
      if (row)
        await this.audit.record(
          principal,
          'consent.record',
          { resourceType: 'consent', resourceId: row.id, patientId },
          tx,
        );
      return row;
    };
    const consent = within ? await work(within) : await this.db.transaction(work);
    if (consent) return consent;
    await this.audit.record(principal, 'consent.record', {
      resourceType: 'patient',
      resourceId: patientId,
      outcome: 'denied',
    });
    throw new ResourceNotFoundError('Patient', patientId);
  }

  async list(principal: Principal, patientId: string): Promise<ConsentRow[]> {
    const rows = await this.consents.listInScope(this.access.patientScope(principal), patientId);
    await this.audit.record(principal, 'consent.read', {
      resourceType: 'patient',
      resourceId: patientId,
      patientId: rows ? patientId : null,
      outcome: rows ? 'allowed' : 'denied',
    });
    if (!rows) throw new ResourceNotFoundError('Patient', patientId);
    return rows;
  }

  /** Revokes one consent; 404 outside the caller's scope, 409 when it is already revoked. */
  async revoke(
    principal: Principal,
    patientId: string,
    consentId: string,
    reason: string,
  ): Promise<ConsentRow> {
    const scope = this.access.patientScope(principal);
    const outcome = await this.db.transaction<{ revoked: ConsentRow } | { existing?: ConsentRow }>(
      async (tx) => {
        const revoked = await this.consents.revokeInScope(
          scope,
          { patientId, consentId, revokedBy: principal.userId, reason },
          tx,
        );
        if (revoked) {
          await this.audit.record(
            principal,
            'consent.revoke',
            { resourceType: 'consent', resourceId: consentId, patientId },
            tx,
          );
          return { revoked };
        }
        return { existing: await this.consents.findInScope(scope, patientId, consentId, tx) };
      },
    );
    if ('revoked' in outcome) return outcome.revoked;
    const existing = 'existing' in outcome ? outcome.existing : undefined;
    await this.audit.record(principal, 'consent.revoke', {
      resourceType: 'consent',
      resourceId: consentId,
      patientId: existing ? patientId : null,
      outcome: 'denied',
    });
    if (existing && !canRevoke(existing)) throw new ConsentAlreadyRevokedError(consentId);
    throw new ResourceNotFoundError('Consent', consentId);
  }

  async hasActiveConsent(patientId: string, scope: ConsentScope, q?: Queryable): Promise<boolean> {
    return this.consents.hasActive(patientId, scope, q);
  }

  /** Throws NoConsentError (409 `no_consent`) unless the patient has an active consent for `scope`. */
  async requireActiveConsent(patientId: string, scope: ConsentScope, q?: Queryable): Promise<void> {
    if (!(await this.consents.hasActive(patientId, scope, q))) throw new NoConsentError(scope);
  }

  /**
   * Records the consent unless the patient already has an active one for `scope`: for seeding
   * (the demo) and for registering a patient with the consent given at registration.
   */
  async ensureConsent(
    principal: Principal,
    patientId: string,
    input: { scope: ConsentScope; method: RecordableConsentMethod },
  ): Promise<void> {
    if (await this.consents.hasActive(patientId, input.scope)) return;
    await this.record(principal, patientId, input);
  }
}
