import type { RulePersistence } from './rule-definition';
import { MINUTE_MS, type RulePoint } from './rule-series';

/**
 * Which points fire once persistence is applied to a rule's time-ordered points. A run of
 * breaches is broken by any point that does not breach. With `consecutive: n` a point fires
 * when it ends a run of at least n breaches; with `sustainedMinutes: m`, when its run began m
 * minutes or more before it. Without either, every breach fires. (Validation refuses both at once;
 * here both would have to hold.)
 */
export function persistentBreaches(points: readonly RulePoint[], persistence: RulePersistence): boolean[] {
  const consecutive = persistence.consecutive ?? 1;
  const sustainedMs = (persistence.sustainedMinutes ?? 0) * MINUTE_MS;
  const fires: boolean[] = [];
  let run = 0;
  let runStartMs = 0;
  for (const point of points) {
    if (!point.breach) {
      run = 0;
      fires.push(false);
      continue;
    }
    if (run === 0) runStartMs = point.atMs;
    run++;
    fires.push(run >= consecutive && point.atMs - runStartMs >= sustainedMs);
  }
  return fires;
}
