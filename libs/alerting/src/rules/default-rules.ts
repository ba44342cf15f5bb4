import type { PublishedRule } from './rule-definition';
import { ACC_AHA_2017, ADA_2024, ADA_CRISES, ESH_2023, NEWS2, PROGRAMME_CHOICE } from './rule-sources';

/**
 * The safety net: every patient is evaluated by these, whatever their protocols. A protocol's
 * rules replace the defaults of the groups it defines and no other (`templateRules`), so a
 * heart-failure protocol that watches weight still gets a blood-pressure crisis alert. Values
 * are in catalogue units; docs/rules.md gives each band's source.
 */
export const DEFAULT_RULES: readonly PublishedRule[] = [
  {
    id: 'default.bp.crisis',
    group: 'bp.high',
    description: 'Blood pressure at hypertensive-crisis level (systolic >= 180 or diastolic >= 120 mmHg)',
    citation: `${ACC_AHA_2017}: hypertensive crisis >180 and/or >120 mm Hg; alerting at exactly 180/120 is the safer side`,
    // ACC/AHA: repeat the measurement before treating a reading as a crisis.
    remeasure: true,
    definition: {
      kind: 'any',
      severity: 'critical',
      conditions: [
        { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
        { type: 'blood_pressure_diastolic', operator: '>=', value: 120 },
      ],
    },
  },
  {
    id: 'default.bp.grade3',
    group: 'bp.high',
    description: 'Diastolic blood pressure in the grade 3 range (>= 110 mmHg)',
    citation: `${ESH_2023}: grade 3 >= 180 and/or >= 110 mm Hg (systolic >= 180 is already a crisis here)`,
    definition: {
      kind: 'threshold',
      type: 'blood_pressure_diastolic',
      operator: '>=',
      value: 110,
      severity: 'warning',
    },
  },
  {
    id: 'default.bp.grade2',
    group: 'bp.high',
    description: 'Blood pressure in the grade 2 range (systolic >= 160 or diastolic >= 100 mmHg)',
    citation: `${ESH_2023}: grade 2 160-179 and/or 100-109 mm Hg`,
    definition: {
      kind: 'any',
      severity: 'warning',
      conditions: [
        { type: 'blood_pressure_systolic', operator: '>=', value: 160 },
        { type: 'blood_pressure_diastolic', operator: '>=', value: 100 },
      ],
    },
  },
  {
    id: 'default.bp.low',
    group: 'bp.low',
    description: 'Systolic blood pressure <= 90 mmHg (hypotension)',
    citation: `${NEWS2}: systolic <= 90 scores 3. Warning, not critical, is a programme choice: a seated home reading of an ambulatory patient, often asymptomatic on guideline-directed therapy`,
    definition: {
      kind: 'threshold',
      type: 'blood_pressure_systolic',
      operator: '<=',
      value: 90,
      severity: 'warning',
    },
  },
  {
    id: 'default.hr.high.critical',
    group: 'hr.high',
    description: 'Heart rate >= 131 beats/min',
    citation: `${NEWS2}: pulse >= 131 scores 3`,
    definition: { kind: 'threshold', type: 'heart_rate', operator: '>=', value: 131, severity: 'critical' },
  },
  {
    id: 'default.hr.high',
    group: 'hr.high',
    description: 'Heart rate >= 111 beats/min',
    citation: `${NEWS2}: pulse 111-130 scores 2`,
    definition: { kind: 'threshold', type: 'heart_rate', operator: '>=', value: 111, severity: 'warning' },
  },
  {
    id: 'default.hr.low',
    group: 'hr.low',
    description: 'Heart rate <= 40 beats/min',
    citation: `${NEWS2}: pulse <= 40 scores 3`,
    definition: { kind: 'threshold', type: 'heart_rate', operator: '<=', value: 40, severity: 'critical' },
  },
  {
    id: 'default.spo2.critical',
    group: 'spo2.low',
    description: 'Oxygen saturation <= 91 %',
    citation: `${NEWS2} (SpO2 scale 1): <= 91 % scores 3`,
    definition: {
      kind: 'threshold',
      type: 'oxygen_saturation',
      operator: '<=',
      value: 91,
      severity: 'critical',
    },
  },
  {
    id: 'default.spo2.low',
    group: 'spo2.low',
    description: 'Oxygen saturation 92-93 %',
    citation: `${NEWS2} (SpO2 scale 1): 92-93 % scores 2`,
    definition: {
      kind: 'threshold',
      type: 'oxygen_saturation',
      operator: '<=',
      value: 93,
      severity: 'warning',
    },
  },
  {
    id: 'default.temp.low',
    group: 'temp.low',
    description: 'Body temperature <= 35.0 °C',
    citation: `${NEWS2}: temperature <= 35.0 scores 3`,
    definition: {
      kind: 'threshold',
      type: 'body_temperature',
      operator: '<=',
      value: 35,
      severity: 'critical',
    },
  },
  {
    id: 'default.temp.high',
    group: 'temp.high',
    description: 'Body temperature >= 39.1 °C',
    citation: `${NEWS2}: temperature >= 39.1 scores 2`,
    definition: {
      kind: 'threshold',
      type: 'body_temperature',
      operator: '>=',
      value: 39.1,
      severity: 'warning',
    },
  },
  {
    id: 'default.glucose.hypo.level2',
    group: 'glucose.low',
    description: 'Blood glucose below 54 mg/dL (level 2 hypoglycaemia)',
    citation: ADA_2024,
    definition: { kind: 'threshold', type: 'blood_glucose', operator: '<', value: 54, severity: 'critical' },
  },
  {
    id: 'default.glucose.hypo.level1',
    group: 'glucose.low',
    description: 'Blood glucose below 70 mg/dL (level 1 hypoglycaemia)',
    citation: ADA_2024,
    definition: { kind: 'threshold', type: 'blood_glucose', operator: '<', value: 70, severity: 'warning' },
  },
  {
    id: 'default.glucose.hyper.severe',
    group: 'glucose.high',
    description: 'Blood glucose >= 400 mg/dL (risk of hyperglycaemic crisis)',
    citation: `${PROGRAMME_CHOICE}400 mg/dL asks for same-day contact, below the 600 mg/dL of HHS. ${ADA_CRISES}`,
    definition: {
      kind: 'threshold',
      type: 'blood_glucose',
      operator: '>=',
      value: 400,
      severity: 'critical',
    },
  },
  {
    id: 'default.glucose.hyper',
    group: 'glucose.high',
    description: 'Blood glucose >= 250 mg/dL (check ketones)',
    citation: `${PROGRAMME_CHOICE}250 mg/dL was the 2009 DKA criterion; the 2024 consensus uses >= 200 with ketosis. ${ADA_CRISES}`,
    definition: {
      kind: 'threshold',
      type: 'blood_glucose',
      operator: '>=',
      value: 250,
      severity: 'warning',
    },
  },
];
