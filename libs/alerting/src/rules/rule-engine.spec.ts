import { VITALS, type VitalType } from '@homeward/contracts';
import { evaluateMissed } from './missed.rule';
import { PROTOCOLS } from './protocols';
import type { ConfiguredRule, RuleDefinition } from './rule-definition';
import { evaluateRules, historyNeeded, type EvaluationInput } from './rule-engine';
import type { EngineReading } from './rule-series';

const T0 = Date.parse('2026-03-02T07:00:00Z');
const HOUR = 3_600_000;
const NOW = new Date(T0 + 30 * 24 * HOUR);

let sequence = 0;
function reading(
  type: VitalType,
  value: number,
  atHours: number,
  extra: Partial<EngineReading> = {},
): EngineReading {
  const measuredAt = new Date(T0 + atHours * HOUR);
  return {
    patientId: 'patient-1',
    deviceId: 'device-1',
    messageId: `msg-${sequence++}`,
    measuredAt,
    receivedAt: new Date(measuredAt.getTime() + 5_000),
    type,
    value,
    unit: VITALS[type].unit,
    ...extra,
  };
}

function bp(systolic: number, diastolic: number, atHours: number): EngineReading[] {
  const messageId = `msg-${sequence++}`;
  return [
    reading('blood_pressure_systolic', systolic, atHours, { messageId }),
    reading('blood_pressure_diastolic', diastolic, atHours, { messageId }),
  ];
}

function rules(...definitions: RuleDefinition[]): ConfiguredRule[] {
  return definitions.map((definition, i) => ({ id: `rule-${i}`, definition }));
}

/** Evaluates the last reading(s) as the batch, everything before as history. */
function evaluate(
  definition: RuleDefinition,
  history: EngineReading[],
  batch: EngineReading[],
  extra: Partial<EvaluationInput<EngineReading>> = {},
) {
  return evaluateRules(rules(definition), { newReadings: batch, history, now: NOW, ...extra });
}

function fired(definition: RuleDefinition, history: EngineReading[], batch: EngineReading[]): number[] {
  return evaluate(definition, history, batch).findings.map((f) => f.value ?? NaN);
}

const protocolRule = (id: string): RuleDefinition => {
  const rule = PROTOCOLS.flatMap((p) => p.rules).find((r) => r.id === id);
  if (!rule) throw new Error(id);
  return rule.definition;
};

describe('threshold rules', () => {
  const systolic160: RuleDefinition = {
    kind: 'threshold',
    type: 'blood_pressure_systolic',
    operator: '>=',
    value: 160,
    severity: 'warning',
  };

  it('fires at exactly 160 with >= and not at 159', () => {
    expect(fired(systolic160, [], bp(160, 90, 0))).toEqual([160]);
    expect(fired(systolic160, [], bp(159, 90, 0))).toEqual([]);
  });

  it('does not fire at exactly the cut-off with >', () => {
    expect(fired({ ...systolic160, operator: '>' }, [], bp(160, 90, 0))).toEqual([]);
    expect(fired({ ...systolic160, operator: '>' }, [], bp(161, 90, 0))).toEqual([161]);
  });

  it('reports the rule, severity, trigger and time of the breach', () => {
    const batch = bp(170, 95, 1);
    expect(evaluate(systolic160, [], batch).findings).toEqual([
      {
        ruleId: 'rule-0',
        kind: 'threshold',
        severity: 'warning',
        trigger: batch[0],
        value: 170,
        breachedAt: batch[0].measuredAt,
        late: false,
        detail: 'blood_pressure_systolic 170 mm[Hg] >= 160 mm[Hg]',
      },
    ]);
  });

  it('reads a rule stated in kPa in mm[Hg]', () => {
    const kPa: RuleDefinition = { ...systolic160, value: 21.4, unit: 'kPa' }; // 160.5 mm[Hg]
    expect(fired(kPa, [], bp(160, 90, 0))).toEqual([]);
    expect(fired(kPa, [], bp(161, 90, 0))).toEqual([161]);
  });

  it('raises findings only at the new readings, not again at history', () => {
    const history = bp(190, 100, 0);
    expect(fired(systolic160, history, bp(120, 80, 1))).toEqual([]);
  });
});

describe('any rules', () => {
  const crisis = protocolRule('hypertension.bp.crisis');

  it('fires on systolic >= 180 or diastolic >= 120, each at its boundary', () => {
    expect(fired(crisis, [], bp(180, 90, 0))).toEqual([180]);
    expect(fired(crisis, [], bp(150, 120, 0))).toEqual([120]);
    expect(fired(crisis, [], bp(179, 119, 0))).toEqual([]);
  });

  it('names the first condition that holds as the trigger', () => {
    const batch = bp(186, 124, 0);
    expect(evaluate(crisis, [], batch).findings.map((f) => f.trigger)).toEqual([batch[0]]);
    const diastolic = bp(150, 125, 1);
    expect(evaluate(crisis, [], diastolic).findings.map((f) => f.trigger)).toEqual([diastolic[1]]);
  });

  it('does not pair the systolic of one measurement with the diastolic of another', () => {
    const batch = [reading('blood_pressure_systolic', 130, 0), reading('blood_pressure_diastolic', 125, 0)];
    const findings = evaluate(crisis, [], batch).findings;
    expect(findings.map((f) => f.trigger)).toEqual([batch[1]]);
  });
});

describe('change rules', () => {
  const day: RuleDefinition = {
    kind: 'change',
    type: 'body_weight',
    direction: 'increase',
    amount: 0.9,
    unit: 'kg',
    windowHours: 24,
    severity: 'warning',
  };
  const weight = (kg: number, atHours: number) => reading('body_weight', kg, atHours);

  it('treats amount as inclusive, to the 0.01 kg readings are stored at: up 0.9 kg fires, 0.88 kg does not', () => {
    expect(fired(day, [weight(80, 0)], [weight(80.9, 24)])).toEqual([0.9]);
    expect(fired(day, [weight(80, 0)], [weight(80.89, 24)])).toEqual([0.89]);
    expect(fired(day, [weight(80, 0)], [weight(80.88, 24)])).toEqual([]);
  });

  it('counts the largest rise within the window (from the lowest earlier reading)', () => {
    expect(fired(day, [weight(80, 0), weight(80.5, 12)], [weight(81, 23)])).toEqual([1]);
  });

  it('allows a 3-hour grace for weighings that drift later each morning, and no more', () => {
    expect(fired(day, [weight(80, 0)], [weight(81, 26.9)])).toEqual([1]);
    expect(fired(day, [weight(80, 0)], [weight(81, 27.1)])).toEqual([]);
    expect(fired({ ...day, graceMinutes: 0 }, [weight(80, 0)], [weight(81, 24.1)])).toEqual([]);
  });

  it('does not fire without an earlier reading in the window', () => {
    const result = evaluate(day, [], [weight(95, 0)]);
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('fires on a fall for a decrease rule and not on a rise', () => {
    const fall: RuleDefinition = { ...day, direction: 'decrease', amount: 1.5 };
    expect(fired(fall, [weight(80, 0)], [weight(78.4, 20)])).toEqual([-1.6]);
    expect(fired(fall, [weight(80, 0)], [weight(78.5, 20)])).toEqual([-1.5]);
    expect(fired(fall, [weight(80, 0)], [weight(78.6, 20)])).toEqual([]);
    expect(fired(fall, [weight(80, 0)], [weight(82, 20)])).toEqual([]);
  });

  it('reads "2 lb or more" so that exactly 2 lb weighed in pounds fires (0.90 kg stored), 1.9 lb does not', () => {
    const pounds = protocolRule('heart_failure.weight.day');
    // 180 lb then 182 lb: 81.65 kg then 82.55 kg once rounded to the catalogue precision.
    const lb = (value: number, hours: number) => reading('body_weight', value, hours, { unit: '[lb_av]' });
    expect(fired(pounds, [lb(180, 0)], [lb(182, 24)])).toEqual([0.9]);
    expect(fired(pounds, [lb(180, 0)], [lb(181.9, 24)])).toEqual([]);
    expect(fired(pounds, [weight(81.65, 0)], [weight(82.56, 24)])).toEqual([0.91]);
  });

  it('catches more than 5 lb over 7 days that no single day shows', () => {
    const week = protocolRule('heart_failure.weight.week');
    const history = [0, 1, 2, 3, 4, 5].map((d) => weight(80 + d * 0.4, d * 24));
    expect(fired(week, history, [weight(82.3, 6 * 24)])).toEqual([2.3]);
    expect(fired(protocolRule('heart_failure.weight.day'), history, [weight(82.3, 6 * 24)])).toEqual([]);
  });

  it('compares with the dry weight the caller passes, and skips patients without one', () => {
    const dry: RuleDefinition = {
      kind: 'change',
      type: 'body_weight',
      direction: 'increase',
      amount: 2,
      unit: 'kg',
      baseline: 'dry_weight',
      severity: 'warning',
    };
    const at = (kg: number) => evaluate(dry, [], [weight(kg, 0)], { baselines: { dry_weight: 80 } }).findings;
    expect(at(81.98)).toEqual([]);
    expect(at(82).map((f) => [f.value, f.detail])).toEqual([
      [2, 'body_weight 82 kg is 2 kg above dry_weight 80 kg'],
    ]);
    expect(evaluate(dry, [], [weight(90, 0)]).skipped).toEqual([
      { ruleId: 'rule-0', reason: 'the patient has no dry_weight baseline' },
    ]);
  });

  it('converts readings sent in pounds before comparing', () => {
    const lb = reading('body_weight', 180, 0, { unit: '[lb_av]' }); // 81.65 kg
    expect(fired(day, [lb], [weight(82.6, 24)])).toEqual([0.95]);
  });
});

describe('average rules', () => {
  const avg: RuleDefinition = {
    kind: 'average',
    type: 'blood_pressure_systolic',
    lastN: 3,
    operator: '>=',
    value: 135,
    severity: 'warning',
  };
  const sys = (value: number, atHours: number) => reading('blood_pressure_systolic', value, atHours);

  it('fires when the mean of the last N readings reaches the cut-off, and not just below it', () => {
    expect(fired(avg, [sys(134, 0), sys(135, 12)], [sys(136, 24)])).toEqual([135]);
    expect(fired(avg, [sys(134, 0), sys(135, 12)], [sys(135, 24)])).toEqual([]);
  });

  it('averages only the last N readings', () => {
    expect(fired(avg, [sys(100, 0), sys(140, 12), sys(140, 18)], [sys(140, 24)])).toEqual([140]);
  });

  it('waits for N readings (or minReadings) before judging', () => {
    expect(fired(avg, [sys(150, 0)], [sys(150, 12)])).toEqual([]);
    expect(fired({ ...avg, minReadings: 2 }, [sys(150, 0)], [sys(150, 12)])).toEqual([150]);
  });

  it('leaves out readings measured windowDays or more before (100 drops out, and only then it fires)', () => {
    const weekly: RuleDefinition = { ...avg, windowDays: 7, minReadings: 2 };
    expect(fired(weekly, [sys(100, 0), sys(150, 24)], [sys(150, 7 * 24 + 1)])).toEqual([150]);
    expect(fired(weekly, [sys(100, 2), sys(150, 24)], [sys(150, 7 * 24 + 1)])).toEqual([]);
  });

  describe('home blood pressure average 135/85 (an any over two averages)', () => {
    const home = protocolRule('hypertension.bp.home-average');
    const week = (systolic: number, diastolic: number) =>
      Array.from({ length: 12 }, (_, i) => bp(systolic, diastolic, i * 12)).flat();

    it('fires on the systolic average at 135, triggered by the systolic reading', () => {
      const readings = week(135, 80);
      const batch = readings.slice(-2);
      const findings = evaluate(home, readings.slice(0, -2), batch).findings;
      expect(findings.map((f) => [f.trigger, f.value])).toEqual([[batch[0], 135]]);
    });

    it('fires on the diastolic average at 85 alone', () => {
      const readings = week(130, 85);
      const findings = evaluate(home, readings.slice(0, -2), readings.slice(-2)).findings;
      expect(findings.map((f) => [f.trigger?.type, f.value])).toEqual([['blood_pressure_diastolic', 85]]);
    });

    it('stays silent at 134/84, and with fewer than 12 readings', () => {
      const below = week(134, 84);
      expect(evaluate(home, below.slice(0, -2), below.slice(-2)).findings).toEqual([]);
      const few = week(150, 95).slice(0, 22);
      expect(evaluate(home, few.slice(0, -2), few.slice(-2)).findings).toEqual([]);
    });
  });
});

describe('missed rules', () => {
  const missed: RuleDefinition & { kind: 'missed' } = {
    kind: 'missed',
    type: 'body_weight',
    hours: 48,
    severity: 'info',
  };
  const last = new Date(T0);

  it('counts exactly N hours without a reading as missed, one millisecond less as not', () => {
    expect(evaluateMissed(missed, last, new Date(T0 + 48 * HOUR - 1))).toBe(false);
    expect(evaluateMissed(missed, last, new Date(T0 + 48 * HOUR))).toBe(true);
  });

  it('treats a patient who never measured as missed', () => {
    expect(evaluateMissed(missed, null, NOW)).toBe(true);
  });

  it('is left to the scheduled job by evaluateRules', () => {
    expect(evaluate(missed, [], [reading('body_weight', 80, 0)])).toEqual({ findings: [], skipped: [] });
  });
});

describe('persistence', () => {
  const low: RuleDefinition = {
    kind: 'threshold',
    type: 'oxygen_saturation',
    operator: '<',
    value: 88,
    consecutive: 2,
    severity: 'warning',
  };
  const spo2 = (value: number, atHours: number) => reading('oxygen_saturation', value, atHours);

  it('needs two breaches in a row with consecutive: 2', () => {
    expect(fired(low, [], [spo2(85, 0)])).toEqual([]);
    expect(fired(low, [spo2(86, 0)], [spo2(85, 1)])).toEqual([85]);
  });

  it('restarts the count after a reading that does not breach', () => {
    expect(fired(low, [spo2(86, 0), spo2(93, 1)], [spo2(85, 2)])).toEqual([]);
  });

  it('fires on the second of two breaches arriving in one batch', () => {
    const batch = [spo2(86, 0), spo2(85, 1)];
    expect(evaluate(low, [], batch).findings.map((f) => f.trigger)).toEqual([batch[1]]);
  });

  it('with sustainedMinutes: 30, fires once breaches have lasted 30 minutes, not 29', () => {
    const sustained: RuleDefinition = { ...low, consecutive: undefined, sustainedMinutes: 30 };
    expect(fired(sustained, [spo2(86, 0), spo2(85, 0.25)], [spo2(85, 29 / 60)])).toEqual([]);
    expect(fired(sustained, [spo2(86, 0), spo2(85, 0.25)], [spo2(85, 0.5)])).toEqual([85]);
    expect(fired(sustained, [spo2(86, 0), spo2(95, 0.25)], [spo2(85, 0.5)])).toEqual([]);
  });

  it('applies to window rules too: two weighings in a row above dry weight', () => {
    const dry = protocolRule('heart_failure.weight.dry');
    const weight = (kg: number, atHours: number) => reading('body_weight', kg, atHours);
    const input = { baselines: { dry_weight: 80 } };
    expect(evaluate(dry, [], [weight(82.5, 0)], input).findings).toEqual([]);
    expect(evaluate(dry, [weight(82.5, 0)], [weight(82.4, 24)], input).findings).toHaveLength(1);
  });
});

describe('late readings', () => {
  const high: RuleDefinition = {
    kind: 'threshold',
    type: 'heart_rate',
    operator: '>=',
    value: 111,
    severity: 'warning',
  };

  it('marks a finding late when the reading arrived more than an hour after it was measured', () => {
    const late = reading('heart_rate', 120, 0, { receivedAt: new Date(T0 + 61 * 60_000) });
    const onTime = reading('heart_rate', 120, 1, { receivedAt: new Date(T0 + HOUR + 60 * 60_000) });
    expect(evaluate(high, [], [late, onTime]).findings.map((f) => f.late)).toEqual([true, false]);
  });

  it('uses now when the reading has no receivedAt, and a configurable horizon', () => {
    const r = reading('heart_rate', 120, 0, { receivedAt: undefined });
    const now = new Date(T0 + 2 * HOUR);
    expect(evaluate(high, [], [r], { now }).findings[0].late).toBe(true);
    expect(evaluate(high, [], [r], { now, lateAfterMinutes: 180 }).findings[0].late).toBe(false);
  });
});

describe('evaluateRules', () => {
  const all = PROTOCOLS.flatMap((p) => p.rules);

  it('merges a batch already present in the history without raising twice', () => {
    const history = [reading('body_weight', 80, 0)];
    const batch = [reading('body_weight', 81, 24)];
    const result = evaluateRules(all, { newReadings: batch, history: [...history, ...batch], now: NOW });
    expect(result.findings.map((f) => [f.ruleId, f.trigger])).toEqual([
      ['heart_failure.weight.day', batch[0]],
    ]);
  });

  it('gives the same findings in the same order whatever order the readings come in', () => {
    const batch = [...bp(186, 124, 0), reading('oxygen_saturation', 80, 0), reading('blood_glucose', 50, 1)];
    const forward = evaluateRules(all, { newReadings: batch, now: NOW });
    const reversed = evaluateRules(all, { newReadings: [...batch].reverse(), now: NOW });
    expect(reversed).toEqual(forward);
    expect(forward.findings.map((f) => f.ruleId)).toEqual([
      'hypertension.bp.crisis',
      'hypertension.bp.grade3',
      'hypertension.bp.grade2',
      'copd_hypercapnic.spo2.critical',
      'copd_hypercapnic.spo2.low',
      'diabetes.glucose.hypo.level2',
      'diabetes.glucose.hypo.level1',
    ]);
  });
});

describe('historyNeeded', () => {
  it('asks for the window, plus grace, of change rules and the readings averages and persistence need', () => {
    const needs = historyNeeded(PROTOCOLS.flatMap((p) => p.rules.map((r) => r.definition)));
    expect(needs).toEqual({
      blood_pressure_systolic: { hours: 0, count: 27 },
      blood_pressure_diastolic: { hours: 0, count: 27 },
      body_weight: { hours: 171, count: 1 },
      oxygen_saturation: { hours: 0, count: 0 },
      body_temperature: { hours: 0, count: 0 },
      blood_glucose: { hours: 0, count: 55 },
    });
  });

  it('adds a sustained duration to the hours', () => {
    expect(
      historyNeeded([
        {
          kind: 'threshold',
          type: 'heart_rate',
          operator: '>',
          value: 120,
          sustainedMinutes: 90,
          severity: 'info',
        },
      ]),
    ).toEqual({ heart_rate: { hours: 1.5, count: 0 } });
  });
});
