import { VITALS, acceptedUnits, toCanonicalUnit, type VitalType } from '@homeward/contracts';
import { batchFindings, type BatchFinding } from '../protocols/batch-findings';
import { DEFAULT_RULES } from './default-rules';
import type { EngineReading } from './rule-series';

const PATIENT_ID = 'patient-1';
const DEVICE_ID = 'device-1';
const MEASURED_AT = new Date('2026-11-25T07:02:11Z');

function reading(type: VitalType, value: number, messageId = 'msg-1'): EngineReading {
  return {
    patientId: PATIENT_ID,
    deviceId: DEVICE_ID,
    messageId,
    measuredAt: MEASURED_AT,
    receivedAt: MEASURED_AT,
    type,
    value,
    unit: VITALS[type].unit,
  };
}

function bp(systolic: number, diastolic: number, messageId = 'msg-1'): EngineReading[] {
  return [
    reading('blood_pressure_systolic', systolic, messageId),
    reading('blood_pressure_diastolic', diastolic, messageId),
  ];
}

/** A patient without protocols or overrides: the default rules, through the one engine. */
function evaluate(
  readings: EngineReading[],
): Array<{ rule: { id: string; severity: string }; trigger: EngineReading }> {
  return batchFindings(readings, new Map(), [], MEASURED_AT).map((finding: BatchFinding<EngineReading>) => ({
    rule: { id: finding.ruleId, severity: finding.severity },
    trigger: finding.trigger,
  }));
}

/** The alerts readings raise, as `severity rule-id`. */
function alerts(readings: EngineReading[]): string[] {
  return evaluate(readings).map((finding) => `${finding.rule.severity} ${finding.rule.id}`);
}

/** `'nothing'` or the one alert a single reading should raise. */
function expected(outcome: string): string[] {
  return outcome === 'nothing' ? [] : [outcome];
}

describe('the default rules, evaluated by the engine', () => {
  describe('blood pressure', () => {
    it('raises exactly one critical crisis alert for 186/124, triggered by the systolic reading', () => {
      const readings = bp(186, 124);
      const findings = evaluate(readings);

      expect(findings).toHaveLength(1);
      expect(findings[0].rule.id).toBe('default.bp.crisis');
      expect(findings[0].rule.severity).toBe('critical');
      expect(findings[0].trigger).toBe(readings[0]);
    });

    it('raises a grade 2 warning for 165/95', () => {
      const readings = bp(165, 95);
      const findings = evaluate(readings);
      expect(alerts(readings)).toEqual(['warning default.bp.grade2']);
      expect(findings[0].trigger).toBe(readings[0]);
    });

    it('keeps 179/119 below crisis level, as a grade 3 warning (diastolic >= 110)', () => {
      expect(alerts(bp(179, 119))).toEqual(['warning default.bp.grade3']);
      expect(alerts(bp(150, 110))).toEqual(['warning default.bp.grade3']);
      expect(alerts(bp(150, 109))).toEqual(['warning default.bp.grade2']);
    });

    it('treats a systolic of exactly 180 as a crisis', () => {
      expect(alerts(bp(180, 90))).toEqual(['critical default.bp.crisis']);
    });

    it('treats a diastolic of exactly 120 as a crisis, triggered by the diastolic reading', () => {
      const readings = bp(150, 120);
      const findings = evaluate(readings);
      expect(alerts(readings)).toEqual(['critical default.bp.crisis']);
      expect(findings[0].trigger).toBe(readings[1]);
    });

    it('raises a grade 2 warning for a diastolic of 100 alone', () => {
      expect(alerts(bp(140, 100))).toEqual(['warning default.bp.grade2']);
    });

    it('raises nothing for 120/80', () => {
      expect(evaluate(bp(120, 80))).toEqual([]);
    });

    it('warns about a systolic of 90 or below (NEWS2 scores <= 90 as 3)', () => {
      expect(alerts(bp(85, 55))).toEqual(['warning default.bp.low']);
      expect(alerts(bp(90, 60))).toEqual(['warning default.bp.low']);
      expect(alerts(bp(91, 60))).toEqual([]);
    });

    it('evaluates two measurements separately, each with its own trigger', () => {
      const first = bp(186, 124, 'msg-1');
      const second = bp(165, 95, 'msg-2');
      const findings = evaluate([...first, ...second]);

      expect(findings.map((f) => [f.rule.id, f.trigger])).toEqual([
        ['default.bp.crisis', first[0]],
        ['default.bp.grade2', second[0]],
      ]);
    });

    it('does not combine the systolic of one measurement with the diastolic of another', () => {
      const readings = [
        reading('blood_pressure_systolic', 130, 'msg-1'),
        reading('blood_pressure_diastolic', 125, 'msg-2'),
      ];
      const findings = evaluate(readings);
      expect(findings).toHaveLength(1);
      expect(findings[0].rule.id).toBe('default.bp.crisis');
      expect(findings[0].trigger).toBe(readings[1]);
    });

    it('treats the same message id at another time as another measurement', () => {
      const later = {
        ...reading('blood_pressure_systolic', 186),
        measuredAt: new Date(MEASURED_AT.getTime() + 60_000),
      };
      expect(alerts([reading('blood_pressure_systolic', 186), later])).toEqual([
        'critical default.bp.crisis',
        'critical default.bp.crisis',
      ]);
    });
  });

  describe('oxygen saturation', () => {
    it.each([
      [91, 'critical default.spo2.critical'],
      [93, 'warning default.spo2.low'],
      [92, 'warning default.spo2.low'],
      [95, 'nothing'],
    ])('SpO2 %d %% raises %s', (value, outcome) => {
      expect(alerts([reading('oxygen_saturation', value)])).toEqual(expected(outcome));
    });
  });

  describe('heart rate', () => {
    it.each([
      [131, 'critical default.hr.high.critical'],
      [130, 'warning default.hr.high'],
      [115, 'warning default.hr.high'],
      [72, 'nothing'],
      [41, 'nothing'],
      [40, 'critical default.hr.low'],
    ])('a heart rate of %d /min raises %s', (value, outcome) => {
      expect(alerts([reading('heart_rate', value)])).toEqual(expected(outcome));
    });
  });

  describe('blood glucose', () => {
    it.each([
      [50, 'critical default.glucose.hypo.level2'],
      [54, 'warning default.glucose.hypo.level1'],
      [65, 'warning default.glucose.hypo.level1'],
      [70, 'nothing'],
      [110, 'nothing'],
      [260, 'warning default.glucose.hyper'],
      [420, 'critical default.glucose.hyper.severe'],
      [400, 'critical default.glucose.hyper.severe'],
    ])('a glucose of %d mg/dL raises %s', (value, outcome) => {
      expect(alerts([reading('blood_glucose', value)])).toEqual(expected(outcome));
    });
  });

  describe('body temperature', () => {
    it.each([
      [35.0, 'critical default.temp.low'],
      [35.1, 'nothing'],
      [37.0, 'nothing'],
      [39.1, 'warning default.temp.high'],
      [39.5, 'warning default.temp.high'],
    ])('a temperature of %d Cel raises %s', (value, outcome) => {
      expect(alerts([reading('body_temperature', value)])).toEqual(expected(outcome));
    });
  });

  it('raises one alert per finding when a measurement has several abnormal vitals', () => {
    const readings = [...bp(186, 124), reading('heart_rate', 135), reading('oxygen_saturation', 90)];
    expect(alerts(readings).sort()).toEqual([
      'critical default.bp.crisis',
      'critical default.hr.high.critical',
      'critical default.spo2.critical',
    ]);
  });

  it('ignores readings of types no rule watches', () => {
    expect(evaluate([reading('body_weight', 250)])).toEqual([]);
  });

  it('gives the same findings and triggers every time for the same readings', () => {
    const readings = [...bp(186, 124, 'msg-1'), ...bp(165, 95, 'msg-2'), reading('heart_rate', 40, 'msg-1')];
    const first = evaluate(readings);
    const second = evaluate(readings);

    expect(second).toEqual(first);
    expect(second.map((f) => f.trigger)).toEqual(first.map((f) => f.trigger));
    expect(first.map((f) => [f.rule.id, f.trigger.messageId, f.trigger.type])).toEqual([
      ['default.bp.crisis', 'msg-1', 'blood_pressure_systolic'],
      ['default.bp.grade2', 'msg-2', 'blood_pressure_systolic'],
      ['default.hr.low', 'msg-1', 'heart_rate'],
    ]);
  });

  it('picks the same trigger whatever order the readings of a measurement arrive in', () => {
    const readings = bp(186, 124);
    const forward = evaluate(readings);
    const reversed = evaluate([...readings].reverse());
    expect(reversed.map((f) => [f.rule.id, f.trigger])).toEqual(forward.map((f) => [f.rule.id, f.trigger]));
  });

  it('returns nothing for no readings', () => {
    expect(evaluate([])).toEqual([]);
  });
});

describe('DEFAULT_RULES', () => {
  it('cites a clinical source, or says it is a programme choice, for every rule', () => {
    for (const rule of DEFAULT_RULES) expect(rule.citation.trim().length).toBeGreaterThan(20);
  });

  it('gives every rule a unique id', () => {
    const ids = DEFAULT_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^default\.[a-z0-9.]+$/);
  });

  it('judges one reading at a time, so patients on the defaults need no history', () => {
    for (const rule of DEFAULT_RULES) expect(['threshold', 'any']).toContain(rule.definition.kind);
  });
});

/**
 * Readings in every unit a device may send, at and around every default boundary: a reading is
 * judged as the catalogue value ingest stores for it (`toCanonicalUnit`), whatever its unit.
 */
describe('the default rules in every accepted unit and at every boundary', () => {
  const boundaries = DEFAULT_RULES.flatMap((rule) => {
    const d = rule.definition;
    const conditions = d.kind === 'threshold' ? [d] : d.kind === 'any' ? d.conditions : [];
    return conditions.map((c) => ({ type: c.type, value: c.value }));
  });

  it.each(boundaries.map((b) => [b.type, b.value] as const))('%s around %d', (type, cutoff) => {
    const precision = VITALS[type].precision;
    const step = 10 ** -precision;
    for (const unit of acceptedUnits(type)) {
      for (const catalogueValue of [cutoff - step, cutoff, cutoff + step].map(
        (v) => Math.round(v / step) * step,
      )) {
        // The value in `unit` that a device would send for this catalogue value, to 3 decimals.
        const sent = unit === VITALS[type].unit ? catalogueValue : inUnit(type, unit, catalogueValue);
        const stored = toCanonicalUnit(type, sent, unit);
        expect(stored).toBeCloseTo(catalogueValue, precision);
        const asSent = alerts([{ ...reading(type, sent), unit }]);
        const asStored = alerts([reading(type, stored ?? NaN)]);
        expect({ unit, sent, findings: asSent }).toEqual({ unit, sent, findings: asStored });
      }
    }
  });

  it('reads a temperature sent in °F at the NEWS2 boundaries as °C', () => {
    expect(alerts([{ ...reading('body_temperature', 95), unit: '[degF]' }])).toEqual([
      'critical default.temp.low',
    ]);
    expect(alerts([{ ...reading('body_temperature', 95.2), unit: '[degF]' }])).toEqual([]);
    expect(alerts([{ ...reading('body_temperature', 102.4), unit: '[degF]' }])).toEqual([
      'warning default.temp.high',
    ]);
  });

  it('reads glucose sent in mmol/L at the ADA boundaries as mg/dL', () => {
    // 2.9 mmol/L is 52 mg/dL: level 2; 3.0 is 54: level 1; 3.9 is 70: in range.
    expect(alerts([{ ...reading('blood_glucose', 2.9), unit: 'mmol/L' }])).toEqual([
      'critical default.glucose.hypo.level2',
    ]);
    expect(alerts([{ ...reading('blood_glucose', 3.0), unit: 'mmol/L' }])).toEqual([
      'warning default.glucose.hypo.level1',
    ]);
    expect(alerts([{ ...reading('blood_glucose', 3.9), unit: 'mmol/L' }])).toEqual([]);
  });
});

/** A catalogue value expressed in another accepted unit, found by bisection on the catalogue's conversion. */
function inUnit(type: VitalType, unit: string, catalogueValue: number): number {
  const convert = VITALS[type].alternativeUnits[unit];
  let low = -1e6;
  let high = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (convert(mid) < catalogueValue) low = mid;
    else high = mid;
  }
  return Math.round(high * 1000) / 1000;
}
