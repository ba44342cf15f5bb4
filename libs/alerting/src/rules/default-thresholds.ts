import type { ThresholdRule } from './threshold.rule';

const ACC_AHA_2017 =
  '2017 ACC/AHA Guideline for High Blood Pressure in Adults (Whelton et al., Hypertension 2018;71:e13-e115): hypertensive crisis >180 and/or >120 mm Hg';
const ESH_2018 =
  '2018 ESC/ESH Guidelines for arterial hypertension (Williams et al., Eur Heart J 2018;39:3021): grade 2 >=160 and/or >=100 mm Hg';
const NEWS2 = 'Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017';
const ADA_2024 =
  'ADA Standards of Care in Diabetes 2024, section 6: level 1 hypoglycaemia <70 mg/dL, level 2 <54 mg/dL';
const ADA_CRISES =
  'ADA consensus report on hyperglycaemic crises in adults (Umpierrez et al., Diabetes Care 2024;47:1257)';

/**
 * Thresholds every patient gets until a care plan says otherwise. Values are in catalogue
 * units. The issue text asks for >= 180 / >= 120 as critical: ACC/AHA wording is "> 180",
 * and alerting at exactly 180 is the safer side.
 */
export const DEFAULT_THRESHOLD_RULES: readonly ThresholdRule[] = [
  {
    id: 'default.bp.crisis',
    kind: 'threshold',
    group: 'bp.high',
    severity: 'critical',
    description: 'Blood pressure at hypertensive-crisis level (systolic >= 180 or diastolic >= 120 mm[Hg])',
    source: ACC_AHA_2017,
    // ACC/AHA: repeat the measurement before treating a reading as a crisis.
    remeasure: true,
    anyOf: [
      { type: 'blood_pressure_systolic', op: '>=', value: 180 },
      { type: 'blood_pressure_diastolic', op: '>=', value: 120 },
    ],
  },
  {
    id: 'default.bp.grade2',
    kind: 'threshold',
    group: 'bp.high',
    severity: 'warning',
    description:
      'Blood pressure in the grade 2 hypertension range (systolic >= 160 or diastolic >= 100 mm[Hg])',
    source: ESH_2018,
    anyOf: [
      { type: 'blood_pressure_systolic', op: '>=', value: 160 },
      { type: 'blood_pressure_diastolic', op: '>=', value: 100 },
    ],
  },
  {
    id: 'default.bp.low',
    kind: 'threshold',
    group: 'bp.low',
    severity: 'warning',
    description: 'Systolic blood pressure below 90 mm[Hg] (hypotension)',
    source: NEWS2 + ': systolic 91-100 scores 2, <= 90 scores 3',
    anyOf: [{ type: 'blood_pressure_systolic', op: '<', value: 90 }],
  },
  {
    id: 'default.hr.high.critical',
    kind: 'threshold',
    group: 'hr.high',
    severity: 'critical',
    description: 'Heart rate >= 131 /min',
    source: NEWS2 + ': pulse >= 131 scores 3',
    anyOf: [{ type: 'heart_rate', op: '>=', value: 131 }],
  },
  {
    id: 'default.hr.high',
    kind: 'threshold',
    group: 'hr.high',
    severity: 'warning',
    description: 'Heart rate >= 111 /min',
    source: NEWS2 + ': pulse 111-130 scores 2',
    anyOf: [{ type: 'heart_rate', op: '>=', value: 111 }],
  },
  {
    id: 'default.hr.low',
    kind: 'threshold',
    group: 'hr.low',
    severity: 'critical',
    description: 'Heart rate <= 40 /min',
    source: NEWS2 + ': pulse <= 40 scores 3',
    anyOf: [{ type: 'heart_rate', op: '<=', value: 40 }],
  },
  {
    id: 'default.spo2.critical',
    kind: 'threshold',
    group: 'spo2.low',
    severity: 'critical',
    description: 'Oxygen saturation <= 91 %',
    source: NEWS2 + ' (SpO2 scale 1): <= 91 % scores 3',
    anyOf: [{ type: 'oxygen_saturation', op: '<=', value: 91 }],
  },
  {
    id: 'default.spo2.low',
    kind: 'threshold',
    group: 'spo2.low',
    severity: 'warning',
    description: 'Oxygen saturation 92-93 %',
    source: NEWS2 + ' (SpO2 scale 1): 92-93 % scores 2',
    anyOf: [{ type: 'oxygen_saturation', op: '<=', value: 93 }],
  },
  {
    id: 'default.temp.low',
    kind: 'threshold',
    group: 'temp.low',
    severity: 'critical',
    description: 'Body temperature <= 35.0 Cel',
    source: NEWS2 + ': temperature <= 35.0 scores 3',
    anyOf: [{ type: 'body_temperature', op: '<=', value: 35 }],
  },
  {
    id: 'default.temp.high',
    kind: 'threshold',
    group: 'temp.high',
    severity: 'warning',
    description: 'Body temperature >= 39.1 Cel',
    source: NEWS2 + ': temperature >= 39.1 scores 2',
    anyOf: [{ type: 'body_temperature', op: '>=', value: 39.1 }],
  },
  {
    id: 'default.glucose.hypo.level2',
    kind: 'threshold',
    group: 'glucose.low',
    severity: 'critical',
    description: 'Blood glucose below 54 mg/dL (level 2 hypoglycaemia)',
    source: ADA_2024,
    anyOf: [{ type: 'blood_glucose', op: '<', value: 54 }],
  },
  {
    id: 'default.glucose.hypo.level1',
    kind: 'threshold',
    group: 'glucose.low',
    severity: 'warning',
    description: 'Blood glucose below 70 mg/dL (level 1 hypoglycaemia)',
    source: ADA_2024,
    anyOf: [{ type: 'blood_glucose', op: '<', value: 70 }],
  },
  {
    id: 'default.glucose.hyper.severe',
    kind: 'threshold',
    group: 'glucose.high',
    severity: 'critical',
    description: 'Blood glucose >= 400 mg/dL (risk of hyperglycaemic crisis)',
    source: ADA_CRISES,
    anyOf: [{ type: 'blood_glucose', op: '>=', value: 400 }],
  },
  {
    id: 'default.glucose.hyper',
    kind: 'threshold',
    group: 'glucose.high',
    severity: 'warning',
    description: 'Blood glucose >= 250 mg/dL (check ketones)',
    source: ADA_CRISES,
    anyOf: [{ type: 'blood_glucose', op: '>=', value: 250 }],
  },
];
