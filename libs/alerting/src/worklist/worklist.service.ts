import { Injectable } from '@nestjs/common';
import { SEVERITY_RANK, type Severity } from '@homeward/contracts';
import { AccessPolicy, type Principal } from '@homeward/access';
import { ADHERENCE_WINDOW_DAYS, ReadingSummaryService, type LastMeasurement } from '@homeward/monitoring';
import { PatientService } from '@homeward/patients';
import { AlertMetricsRepository } from '../alerts/alert-metrics.repository';
import { PatientProtocolRepository } from '../protocols/patient-protocol.repository';
import type { ProtocolKey } from '../rules/protocols';

export const WORKLIST_SORTS = ['name', 'lastReading', 'openAlerts', 'adherence'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface WorklistQuery {
  search?: string;
  sort: WorklistSort;
  order: SortOrder;
  limit: number;
  offset: number;
}

type ListedPatient = Awaited<ReturnType<PatientService['listedPage']>>[number];

export interface WorklistEntry {
  patient: ListedPatient;
  lastReading: LastMeasurement | null;
  openAlerts: { count: number; worstSeverity: Severity | null };
  protocols: ProtocolKey[];
  /** Days with a reading among the last `windowDays`, in the patient's time zone (UTC if none). */
  adherence: { days: number; windowDays: number };
}

export interface WorklistPage {
  items: WorklistEntry[];
  /** Patients matching the search, across every page. */
  total: number;
}

interface Ranked {
  patientId: string;
  /** Null sorts before every value (asc): never measured, no open alert. */
  key: number | null;
}

/**
 * The coordinator's patients list: each patient with the last reading, open alerts, protocols
 * and adherence, searched by name, sorted and paged. Composed from each domain's services in a
 * fixed number of queries: the candidates' ids in name order (one `patient.list` audit row),
 * the sort figure for every candidate when sorting by one, then the page's patients and their
 * figures only.
 */
@Injectable()
export class WorklistService {
  constructor(
    private readonly patients: PatientService,
    private readonly readings: ReadingSummaryService,
    private readonly metrics: AlertMetricsRepository,
    private readonly protocols: PatientProtocolRepository,
    private readonly access: AccessPolicy,
  ) {}

  async list(principal: Principal, query: WorklistQuery, now: Date = new Date()): Promise<WorklistPage> {
    const candidates = await this.patients.searchIds(principal, query.search);
    const ranked = await this.rank(principal, candidates, query, now);
    const pageEntries = ranked.slice(query.offset, query.offset + query.limit);
    const ids = pageEntries.map((entry) => entry.patientId);
    const [page, lastReadings, open, adherence, protocols] = await Promise.all([
      this.patients.listedPage(principal, ids),
      this.readings.lastMeasurements(principal, ids),
      this.openAlerts(principal, ids),
      // Sorted by adherence, the sort keys are the page's figures: counting them again cost
      // as much as the sort (every candidate's days were just counted).
      query.sort === 'adherence'
        ? new Map(pageEntries.map((entry) => [entry.patientId, entry.key ?? 0]))
        : this.readings.adherence(principal, ids, now),
      ids.length ? this.protocols.forPatients(ids) : Promise.resolve(new Map<string, ProtocolKey[]>()),
    ]);
    return {
      total: candidates.length,
      items: page.map((patient) => ({
        patient,
        lastReading: lastReadings.get(patient.id) ?? null,
        openAlerts: open.get(patient.id) ?? { count: 0, worstSeverity: null },
        protocols: protocols.get(patient.id) ?? [],
        adherence: { days: adherence.get(patient.id) ?? 0, windowDays: ADHERENCE_WINDOW_DAYS },
      })),
    };
  }

  /** Candidates in the requested order; ties (and `name`) by family name, given name, id. */
  private async rank(
    principal: Principal,
    candidates: string[],
    query: WorklistQuery,
    now: Date,
  ): Promise<Ranked[]> {
    const byName = candidates.map((patientId) => ({ patientId, key: null }));
    if (query.sort === 'name') return query.order === 'asc' ? byName : byName.reverse();
    const keys = await this.sortKeys(principal, candidates, query.sort, now);
    const ranked: Ranked[] = candidates.map((patientId) => ({ patientId, key: keys.get(patientId) ?? null }));
    const direction = query.order === 'asc' ? 1 : -1;
    // Array.prototype.sort is stable: equal keys keep the name order.
    return ranked.sort((a, b) => direction * compareKeys(a.key, b.key));
  }

  private async sortKeys(
    principal: Principal,
    ids: string[],
    sort: Exclude<WorklistSort, 'name'>,
    now: Date,
  ): Promise<Map<string, number>> {
    switch (sort) {
      case 'lastReading': {
        const last = await this.readings.lastMeasurements(principal, ids);
        return new Map([...last].map(([id, reading]) => [id, reading.measuredAt.getTime()]));
      }
      case 'adherence':
        return this.readings.adherence(principal, ids, now);
      case 'openAlerts': {
        // The worst severity first, then how many: one critical outranks three warnings.
        const open = await this.openAlerts(principal, ids);
        return new Map(
          [...open].map(([id, summary]) => [
            id,
            (summary.worstSeverity === null ? -1 : SEVERITY_RANK[summary.worstSeverity]) * 1_000_000 +
              summary.count,
          ]),
        );
      }
    }
  }

  private async openAlerts(
    principal: Principal,
    patientIds: readonly string[],
  ): Promise<Map<string, { count: number; worstSeverity: Severity }>> {
    if (patientIds.length === 0) return new Map();
    const rows = await this.metrics.activeSummary(this.access.patientScope(principal), patientIds);
    return new Map(
      rows.map((row) => [row.patientId, { count: row.count, worstSeverity: row.worstSeverity }]),
    );
  }
}

function compareKeys(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}
