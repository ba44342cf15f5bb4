import { batchFindings } from '../protocols/batch-findings';
import { decideConfirmation, needsRemeasure, type Remeasurement } from './remeasure';

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 7, 0, second));

describe('which findings ask for a re-measurement', () => {
  const now = at(30);
  const bp = (systolic: number, diastolic: number, measuredAt: Date, flags: string[] = []) =>
    (['blood_pressure_systolic', 'blood_pressure_diastolic'] as const).map((type, i) => ({
      patientId: 'p1',
      deviceId: 'd1',
      messageId: 'm1',
      measuredAt,
      receivedAt: now,
      type,
      value: i === 0 ? systolic : diastolic,
      unit: 'mm[Hg]',
      flags,
    }));
  const spo2 = (value: number, flags: string[]) => [
    {
      patientId: 'p1',
      deviceId: 'd2',
      messageId: 'm2',
      measuredAt: at(0),
      receivedAt: now,
      type: 'oxygen_saturation',
      value,
      unit: '%',
      flags,
    },
  ];

  it.each([
    ['the default crisis rule', new Map()],
    [
      'the hypertension protocol crisis rule',
      new Map([['p1', { keys: ['hypertension' as const], overrides: new Map() }]]),
    ],
  ])('asks to re-measure both blood pressures for %s', (_name, protocols) => {
    const [finding] = batchFindings(bp(180, 90, at(0)), protocols, [], now);
    expect(finding.severity).toBe('critical');
    expect(needsRemeasure(finding, 300)).toBe(true);
    expect(finding.remeasure).toEqual(['blood_pressure_systolic', 'blood_pressure_diastolic']);
  });

  it('opens a grade 2 warning at once', () => {
    const [finding] = batchFindings(bp(179, 119, at(0)), new Map(), [], now);
    expect(finding.severity).toBe('warning');
    expect(needsRemeasure(finding, 300)).toBe(false);
  });

  it('never asks about a late reading or when the flow is switched off', () => {
    const [late] = batchFindings(bp(200, 125, new Date(now.getTime() - 2 * 3600_000)), new Map(), [], now);
    expect(late.late).toBe(true);
    expect(needsRemeasure(late, 300)).toBe(false);
    const [fresh] = batchFindings(bp(200, 125, at(0)), new Map(), [], now);
    expect(needsRemeasure(fresh, 0)).toBe(false);
  });

  it('asks to re-measure a grade 2 blood pressure the cuff flagged (body movement, loose cuff), saying why', () => {
    const [finding] = batchFindings(
      bp(165, 90, at(0), ['body_movement', 'cuff_too_loose']),
      new Map(),
      [],
      now,
    );
    expect(finding).toMatchObject({
      ruleId: 'default.bp.grade2',
      remeasure: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
      unreliable: ['body_movement', 'cuff_too_loose'],
    });
    expect(finding.summary).toMatch(/; device flagged body_movement, cuff_too_loose$/);
    expect(needsRemeasure(finding, 300)).toBe(true);
  });

  it('asks to re-measure a low SpO2 the oximeter flagged (low perfusion), on defaults and on a protocol', () => {
    const [defaults] = batchFindings(spo2(90, ['low_perfusion']), new Map(), [], now);
    expect(defaults).toMatchObject({ remeasure: ['oxygen_saturation'], unreliable: ['low_perfusion'] });
    expect(needsRemeasure(defaults, 300)).toBe(true);
    const copd = new Map([['p1', { keys: ['copd' as const], overrides: new Map() }]]);
    const onProtocol = batchFindings(spo2(80, ['sensor_displaced']), copd, [], now);
    expect(onProtocol.length).toBeGreaterThan(0);
    for (const finding of onProtocol) expect(needsRemeasure(finding, 300)).toBe(true);
  });

  it('opens an irregular-pulse reading at once, saying the device flagged it', () => {
    const [finding] = batchFindings(bp(165, 90, at(0), ['irregular_pulse']), new Map(), [], now);
    expect(finding.unreliable).toBeUndefined();
    expect(needsRemeasure(finding, 300)).toBe(false);
    expect(finding.summary).toMatch(/; device flagged irregular_pulse$/);
  });

  it('opens a flagged reading at once when it is late or the flow is off, still saying it was flagged', () => {
    const old = new Date(now.getTime() - 2 * 3600_000);
    const [late] = batchFindings(bp(165, 90, old, ['improper_position']), new Map(), [], now);
    expect(late).toMatchObject({ late: true, unreliable: ['improper_position'] });
    expect(late.summary).toMatch(/device flagged improper_position/);
    expect(needsRemeasure(late, 300)).toBe(false);
    const [fresh] = batchFindings(bp(165, 90, at(0), ['improper_position']), new Map(), [], now);
    expect(needsRemeasure(fresh, 0)).toBe(false);
  });

  it('does not hold for flags that say nothing about the value', () => {
    const [finding] = batchFindings(bp(165, 90, at(0), ['device_battery_low', 'late']), new Map(), [], now);
    expect(needsRemeasure(finding, 300)).toBe(false);
    expect(finding.summary).not.toMatch(/flagged/);
  });
});

describe('deciding a pending crisis alert', () => {
  const pending = {
    triggerDeviceId: 'd1',
    triggerMessageId: 'm0',
    triggerMeasuredAt: at(0),
    confirmBy: at(300),
  };
  const m = (measuredSecond: number, receivedSecond: number, value: number) => ({
    deviceId: 'd1',
    messageId: `m${measuredSecond}`,
    measuredAt: at(measuredSecond),
    receivedAt: at(receivedSecond),
    value,
  });
  const crisis = (reading: Remeasurement & { value: number }) => reading.value >= 180;

  it('confirms when the re-measurement breaches again, up to the deadline itself', () => {
    const again = m(240, 300, 182);
    expect(decideConfirmation(pending, [again], crisis, at(300))).toEqual({
      outcome: 'confirmed',
      by: again,
    });
  });

  it('is not confirmed by a re-measurement below crisis level', () => {
    const lower = m(60, 61, 179);
    expect(decideConfirmation(pending, [lower], crisis, at(61))).toEqual({
      outcome: 'not_confirmed',
      by: lower,
    });
  });

  it('confirms when any of several re-measurements breaches', () => {
    const decision = decideConfirmation(pending, [m(60, 61, 150), m(90, 91, 185)], crisis, at(91));
    expect(decision).toMatchObject({ outcome: 'confirmed', by: { value: 185 } });
  });

  it('counts a re-measurement stamped in the same second as the trigger (devices stamping whole seconds)', () => {
    const prompt = { ...m(0, 2, 186), messageId: 'm-again' };
    expect(decideConfirmation(pending, [prompt], crisis, at(2))).toEqual({
      outcome: 'confirmed',
      by: prompt,
    });
  });

  it('ignores the trigger itself, readings measured before it, and those received after the deadline', () => {
    const ignored = [m(0, 10, 150), m(-30, 10, 150), m(200, 301, 150)];
    expect(decideConfirmation(pending, ignored, crisis, at(299))).toEqual({ outcome: 'waiting' });
    expect(decideConfirmation(pending, ignored, crisis, at(300))).toEqual({ outcome: 'unanswered' });
  });

  describe('with a re-measurement the device flagged unreliable', () => {
    const flaggedIds = new Set(['m60']);
    const flagged = (reading: Remeasurement) => flaggedIds.has(reading.messageId);

    it('confirms when it breaches: a doubtful high reading after a high one is no reassurance', () => {
      const again = m(60, 61, 190);
      expect(decideConfirmation(pending, [again], crisis, at(61), flagged)).toEqual({
        outcome: 'confirmed',
        by: again,
      });
    });

    it('does not clear when it is in range: the episode keeps waiting, then opens unanswered', () => {
      const doubtful = m(60, 61, 130);
      expect(decideConfirmation(pending, [doubtful], crisis, at(61), flagged)).toEqual({
        outcome: 'waiting',
      });
      expect(decideConfirmation(pending, [doubtful], crisis, at(300), flagged)).toEqual({
        outcome: 'unanswered',
      });
    });

    it('lets a clean re-measurement in range clear it, even after a flagged one', () => {
      const clean = m(90, 91, 128);
      expect(decideConfirmation(pending, [m(60, 61, 130), clean], crisis, at(91), flagged)).toEqual({
        outcome: 'not_confirmed',
        by: clean,
      });
    });
  });
});
