import type { ConfiguredRule } from './rule-definition';

export const PROTOCOL_KEYS = ['hypertension', 'heart_failure', 'copd', 'diabetes'] as const;
export type ProtocolKey = (typeof PROTOCOL_KEYS)[number];

export interface ProtocolRule extends ConfiguredRule {
  /**
   * Rules of one group describe one finding at different severities (or durations): a patient
   * has one alert per group, which takes the worst severity. The groups of the default
   * thresholds (`bp.high`, `spo2.low`, ...) are reused, so a patient keeps an open alert when
   * protocols replace the defaults.
   */
  group: string;
  description: string;
  /** The clinical source of the cut-off, or a plain statement that it is a programme choice. */
  source: string;
  /**
   * A new episode from this rule first asks the patient to re-measure the rule's types: the
   * alert waits as `pending_confirmation` (ALERT_CONFIRM_WITHIN_SECONDS) and becomes critical
   * when the re-measurement breaches it again or none arrives. Marked on the hypertensive-crisis
   * rules, where a single cuff reading is often an artefact (talking, cuff size, no rest) and
   * guidelines ask for a repeat before acting.
   */
  remeasure?: true;
}

export interface Protocol {
  key: ProtocolKey;
  name: string;
  rules: readonly ProtocolRule[];
}

const ACC_AHA_2017 =
  '2017 ACC/AHA Guideline for High Blood Pressure in Adults (Whelton et al., Hypertension 2018;71:e13-e115)';
const ESC_ESH_2018 =
  '2018 ESC/ESH Guidelines for arterial hypertension (Williams et al., Eur Heart J 2018;39:3021-3104)';
const ESH_HOME_BP =
  'ESH practice guidelines for home blood pressure monitoring (Parati et al., J Hum Hypertens 2010;24:779-785) and for office and out-of-office measurement (Stergiou et al., J Hypertens 2021;39:1293-1302)';
const NEWS2 = 'Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017';
const HF_WEIGHT =
  'HFSA 2010 Comprehensive Heart Failure Practice Guideline (Lindenfeld et al., J Card Fail 2010;16:e1-e194), daily weights in self-care; AHA "Self-Check Plan for HF Management": report a gain of more than 2 lb in a day or 5 lb in a week';
const AHA_ACC_HFSA_2022 =
  '2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure (Heidenreich et al., Circulation 2022;145:e895-e1032)';
const ESC_HF_2021 =
  '2021 ESC Guidelines for heart failure (McDonagh et al., Eur Heart J 2021;42:3599-3726), diuretics titrated to euvolaemia ("dry weight")';
const GOLD_2024 =
  'GOLD 2024 Report (Global Initiative for Chronic Obstructive Lung Disease), management of exacerbations: oxygen titrated to SpO2 88-92 %';
const BTS_O2 =
  "BTS guideline for oxygen use in adults (O'Driscoll et al., Thorax 2017;72:ii1-ii90): target 88-92 % for patients at risk of hypercapnic respiratory failure";
const ADA_2024 =
  'ADA Standards of Care in Diabetes 2024, section 6: level 1 hypoglycaemia <70 mg/dL, level 2 <54 mg/dL';
const ADA_CRISES =
  'ADA consensus report on hyperglycaemic crises in adults (Umpierrez et al., Diabetes Care 2024;47:1257)';
const ADA_EAG =
  'ADA Standards of Care in Diabetes 2024, section 6 (A1C 8 % corresponds to an estimated average glucose of 183 mg/dL; ADAG study, Nathan et al., Diabetes Care 2008;31:1473-1478)';
const ADHERENCE = 'Programme adherence rule, not a clinical cut-off: ';

/** Rule sets an organisation starts from and then edits. Definitions are valid against docs/rules.schema.json. */
export const PROTOCOLS: ReadonlyArray<Protocol> = [
  {
    key: 'hypertension',
    name: 'Hypertension',
    rules: [
      {
        id: 'hypertension.bp.crisis',
        group: 'bp.high',
        description:
          'Blood pressure at hypertensive-crisis level (systolic >= 180 or diastolic >= 120 mm[Hg])',
        source: `${ACC_AHA_2017}: hypertensive crisis >180 and/or >120 mm Hg; alerting at exactly 180/120 is the safer side`,
        remeasure: true,
        definition: {
          kind: 'any',
          conditions: [
            { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
            { type: 'blood_pressure_diastolic', operator: '>=', value: 120 },
          ],
          severity: 'critical',
        },
      },
      {
        id: 'hypertension.bp.grade2',
        group: 'bp.high',
        description: 'Blood pressure in the grade 2 range (systolic >= 160 or diastolic >= 100 mm[Hg])',
        source: `${ESC_ESH_2018}: grade 2 >=160 and/or >=100 mm Hg`,
        definition: {
          kind: 'any',
          conditions: [
            { type: 'blood_pressure_systolic', operator: '>=', value: 160 },
            { type: 'blood_pressure_diastolic', operator: '>=', value: 100 },
          ],
          severity: 'warning',
        },
      },
      {
        id: 'hypertension.bp.home-average',
        group: 'bp.home-average',
        description:
          'Home blood pressure above target: 7-day average systolic >= 135 or diastolic >= 85 mm[Hg] (at least 12 readings)',
        source: `${ESC_ESH_2018}: home BP hypertension >=135 and/or >=85 mm Hg; ${ESH_HOME_BP}: 7 days, morning and evening, at least 12 readings`,
        definition: {
          kind: 'any',
          conditions: [
            {
              kind: 'average',
              type: 'blood_pressure_systolic',
              lastN: 28,
              windowDays: 7,
              minReadings: 12,
              operator: '>=',
              value: 135,
            },
            {
              kind: 'average',
              type: 'blood_pressure_diastolic',
              lastN: 28,
              windowDays: 7,
              minReadings: 12,
              operator: '>=',
              value: 85,
            },
          ],
          severity: 'warning',
        },
      },
      {
        id: 'hypertension.bp.low',
        group: 'bp.low',
        description: 'Systolic blood pressure below 90 mm[Hg] (hypotension, e.g. over-treatment)',
        source: `${NEWS2}: systolic <= 90 scores 3`,
        definition: {
          kind: 'threshold',
          type: 'blood_pressure_systolic',
          operator: '<',
          value: 90,
          severity: 'warning',
        },
      },
    ],
  },
  {
    key: 'heart_failure',
    name: 'Heart failure',
    rules: [
      {
        id: 'heart_failure.weight.day',
        group: 'weight.gain',
        description: 'Body weight up more than 2 lb (0.9 kg) within 24 hours',
        source: HF_WEIGHT,
        definition: {
          kind: 'change',
          type: 'body_weight',
          direction: 'increase',
          amount: 2,
          unit: '[lb_av]',
          windowHours: 24,
          severity: 'warning',
        },
      },
      {
        id: 'heart_failure.weight.week',
        group: 'weight.gain',
        description: 'Body weight up more than 5 lb (2.3 kg) within 7 days',
        source: HF_WEIGHT,
        definition: {
          kind: 'change',
          type: 'body_weight',
          direction: 'increase',
          amount: 5,
          unit: '[lb_av]',
          windowHours: 168,
          severity: 'warning',
        },
      },
      {
        id: 'heart_failure.weight.dry',
        group: 'weight.dry',
        description: "Body weight more than 2 kg above the patient's dry weight, on two weighings in a row",
        source: `${ESC_HF_2021}. The 2 kg margin and the confirmation are a programme choice; set the dry weight per patient`,
        definition: {
          kind: 'change',
          type: 'body_weight',
          direction: 'increase',
          amount: 2,
          unit: 'kg',
          baseline: 'dry_weight',
          consecutive: 2,
          severity: 'warning',
        },
      },
      {
        id: 'heart_failure.bp.low',
        group: 'bp.low',
        description: 'Systolic blood pressure below 90 mm[Hg] (may limit guideline-directed therapy)',
        source: `${NEWS2}: systolic <= 90 scores 3; ${AHA_ACC_HFSA_2022}, symptomatic hypotension`,
        definition: {
          kind: 'threshold',
          type: 'blood_pressure_systolic',
          operator: '<',
          value: 90,
          severity: 'warning',
        },
      },
      {
        id: 'heart_failure.weight.missed',
        group: 'weight.missed',
        description: 'No body weight for 48 hours',
        source: `${ADHERENCE}daily weighing is part of HF self-care (${AHA_ACC_HFSA_2022}); 48 h allows one missed morning`,
        definition: { kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' },
      },
    ],
  },
  {
    key: 'copd',
    name: 'COPD',
    rules: [
      {
        id: 'copd.spo2.critical',
        group: 'spo2.low',
        description: 'Oxygen saturation <= 83 %',
        source: `${NEWS2} (SpO2 scale 2, for hypercapnic respiratory failure): <= 83 % scores 3`,
        definition: {
          kind: 'threshold',
          type: 'oxygen_saturation',
          operator: '<=',
          value: 83,
          severity: 'critical',
        },
      },
      {
        id: 'copd.spo2.low',
        group: 'spo2.low',
        description: 'Oxygen saturation below 88 % on two readings in a row',
        source: `${GOLD_2024}; ${BTS_O2}. A second reading confirms it, since a single low spot check is often a probe artefact`,
        definition: {
          kind: 'threshold',
          type: 'oxygen_saturation',
          operator: '<',
          value: 88,
          consecutive: 2,
          severity: 'warning',
        },
      },
      {
        id: 'copd.hr.high',
        group: 'hr.high',
        description: 'Heart rate >= 111 /min',
        source: `${NEWS2}: pulse 111-130 scores 2`,
        definition: {
          kind: 'threshold',
          type: 'heart_rate',
          operator: '>=',
          value: 111,
          severity: 'warning',
        },
      },
      {
        id: 'copd.temp.high',
        group: 'temp.high',
        description: 'Body temperature >= 38.1 Cel (possible infective exacerbation)',
        source: `${NEWS2}: temperature 38.1-39.0 scores 1`,
        definition: {
          kind: 'threshold',
          type: 'body_temperature',
          operator: '>=',
          value: 38.1,
          severity: 'info',
        },
      },
      {
        id: 'copd.spo2.missed',
        group: 'spo2.missed',
        description: 'No oxygen saturation for 48 hours',
        source: `${ADHERENCE}daily oximetry in the monitoring plan; 48 h allows one missed day`,
        definition: { kind: 'missed', type: 'oxygen_saturation', hours: 48, severity: 'info' },
      },
    ],
  },
  {
    key: 'diabetes',
    name: 'Diabetes',
    rules: [
      {
        id: 'diabetes.glucose.hypo.level2',
        group: 'glucose.low',
        description: 'Blood glucose below 54 mg/dL (level 2 hypoglycaemia)',
        source: ADA_2024,
        definition: {
          kind: 'threshold',
          type: 'blood_glucose',
          operator: '<',
          value: 54,
          severity: 'critical',
        },
      },
      {
        id: 'diabetes.glucose.hypo.level1',
        group: 'glucose.low',
        description: 'Blood glucose below 70 mg/dL (level 1 hypoglycaemia)',
        source: ADA_2024,
        definition: {
          kind: 'threshold',
          type: 'blood_glucose',
          operator: '<',
          value: 70,
          severity: 'warning',
        },
      },
      {
        id: 'diabetes.glucose.hyper.severe',
        group: 'glucose.high',
        description: 'Blood glucose >= 400 mg/dL (risk of hyperglycaemic crisis)',
        source: ADA_CRISES,
        definition: {
          kind: 'threshold',
          type: 'blood_glucose',
          operator: '>=',
          value: 400,
          severity: 'critical',
        },
      },
      {
        id: 'diabetes.glucose.hyper',
        group: 'glucose.high',
        description: 'Blood glucose >= 250 mg/dL (check ketones)',
        source: ADA_CRISES,
        definition: {
          kind: 'threshold',
          type: 'blood_glucose',
          operator: '>=',
          value: 250,
          severity: 'warning',
        },
      },
      {
        id: 'diabetes.glucose.average',
        group: 'glucose.average',
        description: '14-day average glucose >= 183 mg/dL (above the A1C 8 % goal; at least 14 readings)',
        source: ADA_EAG,
        definition: {
          kind: 'average',
          type: 'blood_glucose',
          lastN: 56,
          windowDays: 14,
          minReadings: 14,
          operator: '>=',
          value: 183,
          severity: 'info',
        },
      },
      {
        id: 'diabetes.glucose.missed',
        group: 'glucose.missed',
        description: 'No blood glucose for 72 hours',
        source: `${ADHERENCE}72 h allows a weekend without readings`,
        definition: { kind: 'missed', type: 'blood_glucose', hours: 72, severity: 'info' },
      },
    ],
  },
];
