import { pairKey, selectMissed, type MissedCandidate, type MissedEpisodeState } from './missed-selection';

const HOUR = 3600_000;
const now = new Date(Date.UTC(2026, 10, 26, 12));
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);

const onHeartFailure = (setHoursAgo = 500): MissedCandidate => ({
  patientId: 'p1',
  protocols: [{ key: 'heart_failure', setAt: hoursAgo(setHoursAgo) }],
});

function select(
  candidates: MissedCandidate[],
  lastReadings: Record<string, Date> = {},
  episodes: Record<string, MissedEpisodeState> = {},
) {
  return selectMissed({
    candidates,
    lastReadings: new Map(Object.entries(lastReadings)),
    episodes: new Map(Object.entries(episodes)),
    now,
  }).map((due) => ({ patientId: due.patientId, ruleId: due.rule.id, since: due.since }));
}

describe('which missed readings the scheduled check raises', () => {
  it('raises a heart-failure patient whose last weight is 48 hours old, exactly at the boundary', () => {
    expect(select([onHeartFailure()], { [pairKey('p1', 'body_weight')]: hoursAgo(48) })).toEqual([
      { patientId: 'p1', ruleId: 'heart_failure.weight.missed', since: hoursAgo(48) },
    ]);
  });

  it('raises nothing a minute before the 48 hours are up', () => {
    expect(select([onHeartFailure()], { [pairKey('p1', 'body_weight')]: hoursAgo(48 - 1 / 60) })).toEqual([]);
  });

  it('counts from when the protocol was set for a patient who never weighed', () => {
    expect(select([onHeartFailure(47)])).toEqual([]);
    expect(select([onHeartFailure(48)])).toEqual([
      { patientId: 'p1', ruleId: 'heart_failure.weight.missed', since: hoursAgo(48) },
    ]);
  });

  it('does not count readings from before monitoring started as the start of the gap', () => {
    // Weighed a month ago, put on the heart-failure protocol a day ago: not missed yet.
    expect(select([onHeartFailure(24)], { [pairKey('p1', 'body_weight')]: hoursAgo(720) })).toEqual([]);
  });

  it('uses each protocol rule: glucose after 72 h on diabetes, oxygen saturation after 48 h on COPD', () => {
    const patient: MissedCandidate = {
      patientId: 'p2',
      protocols: [
        { key: 'copd', setAt: hoursAgo(500) },
        { key: 'diabetes', setAt: hoursAgo(500) },
      ],
    };
    const readings = {
      [pairKey('p2', 'oxygen_saturation')]: hoursAgo(50),
      [pairKey('p2', 'blood_glucose')]: hoursAgo(71),
    };
    expect(select([patient], readings).map((due) => due.ruleId)).toEqual(['copd.spo2.missed']);
  });

  it('raises nothing for a patient without protocols: the default thresholds have no missed rules', () => {
    expect(select([{ patientId: 'p3', protocols: [] }])).toEqual([]);
  });

  it('raises nothing while an alert of the group is active', () => {
    const episodes = { [pairKey('p1', 'weight.missed')]: { active: true, lastMissedSince: hoursAgo(60) } };
    expect(select([onHeartFailure()], { [pairKey('p1', 'body_weight')]: hoursAgo(60) }, episodes)).toEqual(
      [],
    );
  });

  it('does not raise a gap again after its alert was resolved or dismissed, until a new reading starts a new gap', () => {
    const closed = { [pairKey('p1', 'weight.missed')]: { active: false, lastMissedSince: hoursAgo(60) } };
    expect(select([onHeartFailure()], { [pairKey('p1', 'body_weight')]: hoursAgo(60) }, closed)).toEqual([]);
    // A weight 50 hours ago came after the gap the closed alert reported: a new gap, missed again.
    expect(select([onHeartFailure()], { [pairKey('p1', 'body_weight')]: hoursAgo(50) }, closed)).toEqual([
      { patientId: 'p1', ruleId: 'heart_failure.weight.missed', since: hoursAgo(50) },
    ]);
  });

  it("follows the patient's override of a missed rule: 72 hours instead of 48, recorded as its version", () => {
    const overridden: MissedCandidate = {
      ...onHeartFailure(),
      overrides: new Map([
        [
          'heart_failure.weight.missed',
          {
            version: 2,
            definition: { kind: 'missed', type: 'body_weight', hours: 72, severity: 'warning' },
            reason: 'Weighs every other day',
            ownerId: null,
            expiresAt: null,
            createdBy: 'u1',
            createdAt: hoursAgo(100),
          },
        ],
      ]),
    };
    const due = (hours: number) =>
      selectMissed({
        candidates: [overridden],
        lastReadings: new Map([[pairKey('p1', 'body_weight'), hoursAgo(hours)]]),
        episodes: new Map(),
        now,
      });
    expect(due(49)).toEqual([]);
    expect(due(72).map(({ rule }) => [rule.id, rule.version, rule.definition.severity])).toEqual([
      ['heart_failure.weight.missed', 2, 'warning'],
    ]);
  });

  it('keeps patients apart', () => {
    const other: MissedCandidate = { ...onHeartFailure(), patientId: 'p4' };
    const readings = {
      [pairKey('p1', 'body_weight')]: hoursAgo(49),
      [pairKey('p4', 'body_weight')]: hoursAgo(2),
    };
    expect(select([onHeartFailure(), other], readings).map((due) => due.patientId)).toEqual(['p1']);
  });
});
