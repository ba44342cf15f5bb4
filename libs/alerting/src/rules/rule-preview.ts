import { persistentBreaches } from './persistence.rule';
import { normaliseRule, ruleTypes, type PatientBaselines, type RuleDefinition } from './rule-definition';
import { rulePoints } from './rule-engine';
import { HOUR_MS, prepareReadings, type EngineReading } from './rule-series';

export const DEFAULT_COOLDOWN_HOURS = 6;

export interface PreviewOptions {
  /** After an episode clears, a new breach within this many hours re-opens it silently. */
  cooldownHours?: number;
  baselines?: Readonly<Record<string, PatientBaselines>>;
  /** For `missed` rules: a gap still open at this time counts too. */
  now?: Date;
}

export interface PreviewCounts {
  /** Evaluations that met the rule, persistence included: what `evaluateRules` would report. */
  breaches: number;
  /** What de-duplication and cool-down would have made of them. */
  alerts: number;
}

export interface PreviewResult extends PreviewCounts {
  byPatient: Array<PreviewCounts & { patientId: string }>;
}

type ReadingsByPatient<R> = ReadonlyMap<string, readonly R[]> | Readonly<Record<string, readonly R[]>>;

/**
 * Backtests a rule over stored readings: how often it would have breached, and how many alerts
 * that would have raised. Alerts follow the episode model:
 * 1. a breach with no open episode raises an alert and opens one;
 * 2. further breaches while it is open raise nothing;
 * 3. the first evaluation that does not breach clears it;
 * 4. a breach less than `cooldownHours` after the clear re-opens it without an alert.
 * Patients without the baseline a rule needs count zero.
 */
export function previewRule<R extends EngineReading>(
  rule: RuleDefinition,
  readingsByPatient: ReadingsByPatient<R>,
  options: PreviewOptions = {},
): PreviewResult {
  const cooldownMs = (options.cooldownHours ?? DEFAULT_COOLDOWN_HOURS) * HOUR_MS;
  // Normalised once, not once per patient.
  const normalised = normaliseRule(rule);
  const types: ReadonlySet<string> = new Set(ruleTypes(rule));
  const entries: Array<[string, readonly R[]]> =
    readingsByPatient instanceof Map
      ? [...(readingsByPatient as ReadonlyMap<string, readonly R[]>).entries()]
      : Object.entries(readingsByPatient as Readonly<Record<string, readonly R[]>>);
  const byPatient = entries.map(([patientId, readings]) => ({
    patientId,
    ...previewPatient(normalised, types, readings, cooldownMs, options.baselines?.[patientId], options.now),
  }));
  return {
    breaches: byPatient.reduce((sum, p) => sum + p.breaches, 0),
    alerts: byPatient.reduce((sum, p) => sum + p.alerts, 0),
    byPatient,
  };
}

function previewPatient(
  rule: RuleDefinition,
  types: ReadonlySet<string>,
  readings: readonly EngineReading[],
  cooldownMs: number,
  baselines: PatientBaselines | undefined,
  now: Date | undefined,
): PreviewCounts {
  const prepared = prepareReadings(readings, types);
  if (rule.kind === 'missed')
    return previewMissed(
      rule.hours * HOUR_MS,
      prepared.filter((r) => r.type === rule.type).map((r) => r.atMs),
      cooldownMs,
      now,
    );

  const points = rulePoints(rule, prepared, baselines);
  if (!Array.isArray(points)) return { breaches: 0, alerts: 0 };
  const fires = persistentBreaches(points, rule);
  let breaches = 0;
  let alerts = 0;
  let open = false;
  let clearedAtMs = -Infinity;
  points.forEach((point, i) => {
    if (!fires[i]) {
      if (open) clearedAtMs = point.atMs;
      open = false;
      return;
    }
    breaches++;
    if (!open && point.atMs - clearedAtMs >= cooldownMs) alerts++;
    open = true;
  });
  return { breaches, alerts };
}

/** Each gap of `hoursMs` or more between readings is one breach; it clears at the next reading. */
function previewMissed(
  hoursMs: number,
  times: number[],
  cooldownMs: number,
  now: Date | undefined,
): PreviewCounts {
  if (now) times.push(now.getTime());
  let breaches = 0;
  let alerts = 0;
  let clearedAtMs = -Infinity;
  for (let i = 1; i < times.length; i++) {
    const dueMs = times[i - 1] + hoursMs;
    if (times[i] < dueMs) continue;
    breaches++;
    if (dueMs - clearedAtMs >= cooldownMs) alerts++;
    clearedAtMs = times[i];
  }
  return { breaches, alerts };
}
