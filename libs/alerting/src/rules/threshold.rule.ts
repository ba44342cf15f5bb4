import { SEVERITY_RANK, type Severity, type VitalType } from '@homeward/contracts';

/** One measurement: the readings a device took together (a cuff's systolic, diastolic and pulse). */
export function measurementKey(reading: { deviceId: string; messageId: string; measuredAt: Date }): string {
  return `${reading.deviceId}|${reading.messageId}|${reading.measuredAt.toISOString()}`;
}

export interface ThresholdCondition {
  type: VitalType;
  op: '>=' | '<=' | '<' | '>';
  /** In the catalogue unit of `type`. */
  value: number;
}

/** Fires when any condition holds for a measurement; the most severe rule of a group wins. */
export interface ThresholdRule {
  id: string;
  kind: 'threshold';
  /** Rules of one group describe the same finding at different severities. */
  group: string;
  severity: Severity;
  description: string;
  /** Clinical source of the cut-off. */
  source: string;
  anyOf: ThresholdCondition[];
  /** A breach first asks the patient to re-measure (see `RemeasureRule`). */
  remeasure?: true;
}

/** One measured value, as stored. */
export interface RuleReading {
  patientId: string;
  deviceId: string;
  messageId: string;
  measuredAt: Date;
  type: string;
  value: number;
  unit: string;
}

/** A rule that fired, with the reading that triggered it (the caller's own reading object). */
export interface RuleFinding<R extends RuleReading = RuleReading> {
  rule: ThresholdRule;
  trigger: R;
}

export function conditionHolds(condition: ThresholdCondition, value: number): boolean {
  switch (condition.op) {
    case '>=':
      return value >= condition.value;
    case '>':
      return value > condition.value;
    case '<=':
      return value <= condition.value;
    case '<':
      return value < condition.value;
  }
}

/**
 * Evaluates threshold rules per measurement (readings sharing device, message and time, such
 * as systolic, diastolic and pulse from one cuff inflation). Deterministic: the same readings
 * always give the same findings and triggers, so a re-run maps onto the alerts already raised.
 */
export function evaluateThresholds<R extends RuleReading>(
  readings: R[],
  rules: readonly ThresholdRule[],
): RuleFinding<R>[] {
  const measurements = new Map<string, R[]>();
  for (const reading of readings) {
    const key = measurementKey(reading);
    const group = measurements.get(key);
    if (group) group.push(reading);
    else measurements.set(key, [reading]);
  }

  const findings: RuleFinding<R>[] = [];
  for (const measurement of measurements.values()) {
    const strongest = new Map<string, RuleFinding<R>>();
    for (const rule of rules) {
      const trigger = firstTrigger(rule, measurement);
      if (!trigger) continue;
      const current = strongest.get(rule.group);
      if (!current || SEVERITY_RANK[rule.severity] > SEVERITY_RANK[current.rule.severity]) {
        strongest.set(rule.group, { rule, trigger });
      }
    }
    findings.push(...strongest.values());
  }
  return findings;
}

function firstTrigger<R extends RuleReading>(rule: ThresholdRule, measurement: R[]): R | undefined {
  for (const condition of rule.anyOf) {
    const reading = measurement.find((r) => r.type === condition.type && conditionHolds(condition, r.value));
    if (reading) return reading;
  }
  return undefined;
}
