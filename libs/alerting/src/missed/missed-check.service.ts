import { Injectable } from '@nestjs/common';
import { organizationScope } from '@homeward/access';
import { ReadingBatchService } from '@homeward/monitoring';
import { InjectLogger, alertsRaised, type Logger } from '@homeward/observability';
import { Database } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import { AlertPublisher } from '../alerts/alert-publisher';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { mapAlert } from '../alerts/alert.mapper';
import { AlertEpisodeRepository } from '../alerts/alert-episode.repository';
import { describeBreach } from '../rules/describe-rule';
import { PatientProtocolRepository } from '../protocols/patient-protocol.repository';
import { RuleOverrideRepository } from '../protocols/rule-override.repository';
import { missedRules, pairKey, selectMissed, type MissedCandidate } from './missed-selection';

/**
 * `missed` rules: no reading of a type for N hours. Checked per organisation by a scheduled job
 * rather than by any request, in a fixed number of queries whatever the number of patients:
 * the organisation's protocols, the overrides in force, the last reading of each (patient,
 * type), the state of the missed alerts, then one insert per alert raised.
 */
@Injectable()
export class MissedCheckService {
  constructor(
    private readonly db: Database,
    private readonly protocols: PatientProtocolRepository,
    private readonly overrides: RuleOverrideRepository,
    private readonly batches: ReadingBatchService,
    private readonly episodes: AlertEpisodeRepository,
    private readonly publisher: AlertPublisher,
    private readonly escalation: AlertEscalationScheduler,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Raises the organisation's missed readings as alerts: an episode per patient and rule group,
   * with no trigger. Idempotent: while the alert is active nothing more happens, and a gap is
   * raised once (also in the database: `alerts_missed_gap_key`), so a retried, overlapping or
   * repeated check raises nothing twice. A reading of the type resolves the alert (evaluation).
   */
  async check(organizationId: string, correlationId: string, now = new Date()): Promise<{ raised: number }> {
    const scope = organizationScope(organizationId);
    const byPatient = await this.protocols.inScope(scope);
    // Patients whose protocols have missed rules; overrides may change those rules, never add one.
    const monitored = [...byPatient].filter(
      ([, protocols]) => missedRules(protocols.map((protocol) => protocol.key)).length > 0,
    );
    if (monitored.length === 0) return { raised: 0 };
    const overrides = await this.overrides.inForce(
      monitored.map(([patientId]) => patientId),
      now,
    );
    const candidates: MissedCandidate[] = [];
    const pairs: Array<{ patientId: string; type: string }> = [];
    const groups = new Set<string>();
    for (const [patientId, protocols] of monitored) {
      const candidate = { patientId, protocols, overrides: overrides.get(patientId) };
      candidates.push(candidate);
      const keys = protocols.map((protocol) => protocol.key);
      for (const rule of missedRules(keys, candidate.overrides)) {
        pairs.push({ patientId, type: rule.definition.type });
        groups.add(rule.group);
      }
    }

    const patientIds = candidates.map((candidate) => candidate.patientId);
    const [latest, states] = await Promise.all([
      this.batches.lastMeasuredAt(organizationId, pairs),
      this.episodes.missedEpisodeStates(scope, patientIds, [...groups]),
    ]);
    const due = selectMissed({
      candidates,
      lastReadings: new Map(latest.map((r) => [pairKey(r.patientId, r.type), r.measuredAt])),
      episodes: new Map(states.map((s) => [pairKey(s.patientId, s.episodeKey), s])),
      now,
    });
    if (due.length === 0) return { raised: 0 };

    const raised = await this.db.transaction(async (tx) => {
      const rows: AlertRow[] = [];
      for (const { patientId, rule, lastReadingAt, since } of due) {
        const row = await this.episodes.insertEpisode(
          {
            organizationId,
            patientId,
            ruleId: rule.id,
            ruleVersion: rule.version,
            ruleKind: 'missed',
            ruleDescription: rule.description,
            summary: describeBreach(rule.definition, null),
            severity: rule.definition.severity,
            triggerType: null,
            triggerValue: null,
            triggerUnit: null,
            triggerMeasuredAt: null,
            triggerDeviceId: null,
            triggerMessageId: null,
            batchId: null,
            correlationId,
            episodeKey: rule.group,
            late: false,
            // No value breached; the time says how old the last reading is (null: never measured).
            lastValue: null,
            lastMeasuredAt: lastReadingAt,
            missedSince: since,
          },
          tx,
        );
        // Undefined: another check raised it first.
        if (row) rows.push(row);
      }
      return rows;
    });
    // After the commit: a missed rule made critical by an override starts its escalation clock.
    await this.escalation.afterChange(raised);
    // Sockets are at-most-once, and clients replay from PostgreSQL.
    for (const row of raised) {
      alertsRaised.inc({ severity: row.severity });
      await this.publisher.alertCreated(mapAlert(row));
      this.logger.info(
        {
          alertId: row.id,
          patientId: row.patientId,
          ruleId: row.ruleId,
          severity: row.severity,
          missedSince: row.missedSince,
          correlationId,
        },
        'Alert raised: missed readings',
      );
    }
    return { raised: raised.length };
  }
}
