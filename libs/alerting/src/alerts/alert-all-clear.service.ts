import { Injectable } from '@nestjs/common';
import { UNACKNOWLEDGED_ALERT_STATUSES, type AlertStatus } from '@homeward/contracts';
import { AppConfig } from '@homeward/config';
import type { Queryable } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import { GROUP_TYPES } from '../protocols/patient-rules';
import { unreliableMeasurements } from '../rules/measurement-quality';
import { measurementKey, type EngineReading } from '../rules/rule-series';
import type { AlertChange } from './alert-change';
import { AlertEpisodeRepository } from './alert-episode.repository';
import { AlertHistoryRepository } from './alert-history.repository';

/** The reading that ended a missed-reading alert, as its history names it. */
function newestReading(readings: readonly EngineReading[]): Record<string, string> {
  const newest = readings.reduce((a, b) => (b.measuredAt > a.measuredAt ? b : a));
  return {
    type: newest.type,
    measuredAt: newest.measuredAt.toISOString(),
    deviceId: newest.deviceId,
    messageId: newest.messageId,
  };
}

/** A critical alert nobody has acknowledged: it never closes itself, whatever the readings say. */
export function awaitsSomeone(episode: { severity: AlertRow['severity']; status: AlertStatus }): boolean {
  return (
    episode.severity === 'critical' &&
    (UNACKNOWLEDGED_ALERT_STATUSES as readonly AlertStatus[]).includes(episode.status)
  );
}

/**
 * The all clear: counts, on each active episode of a batch's patients, the batch's
 * measurements of the episode's vital types that breached none of its rules.
 * 1. A missed-reading episode resolves on the first reading of its type: it is what was missing.
 * 2. An unacknowledged critical episode is never resolved this way: the first in-range
 *    measurement after its last breach records `back_in_range`, and it stays in the queue.
 * 3. Any other resolves ("all clear") once ALERT_ALL_CLEAR_READINGS in-range measurements
 *    spanning at least ALERT_ALL_CLEAR_MIN_MINUTES are counted, and re-arms: the next breach
 *    opens a new one (or re-opens it within the cool-down).
 * Measurements the device flagged unreliable say nothing about the breach: they clear nothing.
 * Episodes waiting for a re-measurement are left to the confirmation flow.
 */
@Injectable()
export class AlertAllClearService {
  constructor(
    private readonly episodes: AlertEpisodeRepository,
    private readonly history: AlertHistoryRepository,
    private readonly config: AppConfig,
  ) {}

  async count(
    readings: readonly EngineReading[],
    findings: ReadonlyArray<{ group: string; trigger: EngineReading }>,
    tx: Queryable,
  ): Promise<AlertChange[]> {
    if (readings.length === 0) return [];
    const breached = new Set(
      findings.map((f) => `${f.trigger.patientId}|${f.group}|${measurementKey(f.trigger)}`),
    );
    const patientIds = [...new Set(readings.map((r) => r.patientId))];
    const changes: AlertChange[] = [];
    for (const episode of await this.episodes.activeEpisodesForUpdate(patientIds, tx)) {
      if (episode.status === 'pending_confirmation') continue;
      const types = GROUP_TYPES.get(episode.episodeKey);
      if (!types) continue;
      const missed = episode.ruleKind === 'missed';
      const ofTypes = readings.filter((r) => r.patientId === episode.patientId && types.has(r.type));
      const flagged = missed ? new Set<string>() : unreliableMeasurements(ofTypes);
      const inRange = new Map<string, Date>();
      for (const reading of ofTypes) {
        const key = measurementKey(reading);
        if (!breached.has(`${episode.patientId}|${episode.episodeKey}|${key}`) && !flagged.has(key))
          inRange.set(key, reading.measuredAt);
      }
      if (inRange.size === 0) continue;
      const change = await this.countOn(episode, inRange, missed, ofTypes, tx);
      if (change) changes.push(change);
    }
    return changes;
  }

  private async countOn(
    episode: AlertRow,
    inRange: ReadonlyMap<string, Date>,
    missed: boolean,
    ofTypes: readonly EngineReading[],
    tx: Queryable,
  ): Promise<AlertChange | undefined> {
    const times = [...inRange.values()].map((at) => at.getTime());
    const resolveAt = this.config.ALERT_ALL_CLEAR_READINGS;
    const { row, resolved } = await this.episodes.countClear(
      episode.id,
      {
        inRange: inRange.size,
        firstAt: new Date(Math.min(...times)),
        lastAt: new Date(Math.max(...times)),
        resolveAt: missed ? 1 : resolveAt,
        minMinutes: missed ? 0 : this.config.ALERT_ALL_CLEAR_MIN_MINUTES,
        resolvable: missed || !awaitsSomeone(episode),
      },
      tx,
    );
    if (resolved) {
      await this.history.insertEvent(
        {
          alertId: row.id,
          organizationId: row.organizationId,
          actorUserId: null,
          action: 'auto_resolve',
          fromStatus: episode.status,
          toStatus: 'resolved',
          detail: missed
            ? { reading: newestReading(ofTypes) }
            : {
                inRangeReadings: row.clearCount,
                since: row.clearSince?.toISOString() ?? null,
              },
        },
        tx,
      );
      return { row, kind: 'cleared' };
    }
    // Once per run of in-range readings: the first after the last breach.
    if (awaitsSomeone(episode) && episode.clearCount === 0) {
      await this.history.insertEvent(
        {
          alertId: row.id,
          organizationId: row.organizationId,
          actorUserId: null,
          action: 'back_in_range',
          fromStatus: episode.status,
          toStatus: row.status,
          detail: { inRangeSince: row.clearSince?.toISOString() ?? null },
        },
        tx,
      );
      return { row, kind: 'back_in_range' };
    }
    return undefined;
  }
}
