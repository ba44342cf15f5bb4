import { BadRequestException, Injectable } from '@nestjs/common';
import { VITALS } from '@homeward/contracts';
import { AuditService, UserService } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import { Database } from '@homeward/platform';
import { PatientBaselineRepository, type PatientBaselineVersionRow } from './patient-baseline.repository';

export const MAX_BASELINE_NOTE_LENGTH = 500;

/** The patient's baselines now (the latest version, which may have cleared them) and every version. */
export interface PatientBaselinesView {
  /** null: never set, or cleared by the latest version. */
  dryWeightKg: number | null;
  setBy: string | null;
  setByName: string | null;
  note: string | null;
  /** 0: never set. */
  version: number;
  createdAt: Date | null;
  createdBy: string | null;
  /** Newest first. */
  versions: PatientBaselineVersionRow[];
}

class BaselineRefusedError extends BadRequestException {
  constructor(code: string, message: string) {
    super({ statusCode: 400, error: 'Bad Request', code, message });
  }
}

/**
 * The values a patient's rules compare with, today the dry weight of heart-failure monitoring.
 * Setting one is a clinical decision: it names the clinician who decided it, every change is a
 * new version, audited in the same transaction, and the worker, the missed check and the
 * preview read the version in force (`PatientRuleSets`).
 */
@Injectable()
export class PatientBaselineService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientService,
    private readonly users: UserService,
    private readonly baselines: PatientBaselineRepository,
    private readonly audit: AuditService,
  ) {}

  /** Sets (or, with null, clears) the patient's dry weight; answers the baselines now in force. */
  async set(
    principal: Principal,
    patientId: string,
    change: { dryWeightKg: number | null; setBy?: string; note?: string },
  ): Promise<PatientBaselinesView> {
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    if (change.dryWeightKg !== null) checkDryWeight(change.dryWeightKg);
    if (change.note !== undefined && change.note.length > MAX_BASELINE_NOTE_LENGTH)
      throw new BaselineRefusedError(
        'baseline_note',
        `note must be at most ${MAX_BASELINE_NOTE_LENGTH} characters`,
      );
    const setBy = change.setBy ?? principal.userId;
    const decider = await this.users.findActive({ organizationId: principal.organizationId, userId: setBy });
    if (decider?.role !== 'clinician')
      throw new BaselineRefusedError(
        'baseline_set_by',
        'setBy must be an active clinician of your organisation: a dry weight is a clinical decision',
      );
    await this.db.transaction(async (tx) => {
      await this.baselines.append(
        {
          organizationId: patient.organizationId,
          patientId,
          dryWeightKg: change.dryWeightKg,
          setBy,
          note: change.note?.trim() || null,
          createdBy: principal.userId,
        },
        tx,
      );
      await this.audit.record(
        principal,
        'patient.baselines.set',
        { resourceType: 'patient_baselines', resourceId: patientId, patientId },
        tx,
      );
    });
    return view(await this.baselines.versions(patientId));
  }

  /** The patient's baselines and every version; audited as a read. */
  async get(principal: Principal, patientId: string): Promise<PatientBaselinesView> {
    await this.patients.get(principal, patientId, 'patient.read');
    const versions = await this.baselines.versions(patientId);
    await this.audit.record(principal, 'patient.baselines.read', {
      resourceType: 'patient_baselines',
      resourceId: patientId,
      patientId,
    });
    return view(versions);
  }
}

/** Within the catalogue's plausible body weight, at the precision weights are stored at. */
function checkDryWeight(kg: number): void {
  const { plausible, precision } = VITALS.body_weight;
  if (!Number.isFinite(kg) || kg < plausible.min || kg > plausible.max)
    throw new BaselineRefusedError(
      'baseline_dry_weight',
      `dryWeightKg must be between ${plausible.min} and ${plausible.max} kg`,
    );
  if (Number(kg.toFixed(precision)) !== kg)
    throw new BaselineRefusedError(
      'baseline_dry_weight',
      `dryWeightKg has at most ${precision} decimals (weights are stored to ${10 ** -precision} kg)`,
    );
}

function view(versions: PatientBaselineVersionRow[]): PatientBaselinesView {
  const latest = versions.at(0);
  return {
    dryWeightKg: latest?.dryWeightKg ?? null,
    setBy: latest?.setBy ?? null,
    setByName: latest?.setByName ?? null,
    note: latest?.note ?? null,
    version: latest?.version ?? 0,
    createdAt: latest?.createdAt ?? null,
    createdBy: latest?.createdBy ?? null,
    versions,
  };
}
