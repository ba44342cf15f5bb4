import { DEFAULT_RULES } from './default-rules';
import type { PublishedRule } from './rule-definition';
import {
  ADA_EAG,
  AHA_ACC_HFSA_2022,
  BTS_O2,
  BTS_SCALES,
  ESC_HF_2021,
  HF_WEIGHT,
  HOME_BP,
  HOME_BP_SCHEDULE,
  NEWS2,
  PROGRAMME_CHOICE,
} from './rule-sources';

export const PROTOCOL_KEYS = [
  'hypertension',
  'heart_failure',
  'copd',
  'copd_hypercapnic',
  'diabetes',
] as const;
export type ProtocolKey = (typeof PROTOCOL_KEYS)[number];

export interface Protocol {
  key: ProtocolKey;
  name: string;
  /**
   * Each group a protocol defines replaces the default rules of that group for its patients;
   * the groups it leaves out keep the defaults. A group is therefore defined whole, every
   * severity the defaults cover included, unless the protocol deliberately changes the target
   * (SpO2 scale 2 in `copd_hypercapnic`).
   */
  rules: readonly PublishedRule[];
}

/**
 * A default rule under a protocol's own id: the protocol defines the whole group (so its
 * patients' alerts and overrides name the protocol) with the cut-offs the defaults already use.
 */
function asProtocolRule(id: string, defaultId: string): PublishedRule {
  const rule = DEFAULT_RULES.find((candidate) => candidate.id === defaultId);
  if (!rule) throw new Error(`No default rule ${defaultId}`);
  return { ...rule, id };
}

const ADHERENCE = `${PROGRAMME_CHOICE}an adherence rule, not a clinical cut-off: `;

/** Temperature for COPD: a low-grade fever may herald an infective exacerbation. */
const COPD_TEMPERATURE = (prefix: string): PublishedRule[] => [
  {
    id: `${prefix}.temp.high`,
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
    id: `${prefix}.temp.raised`,
    group: 'temp.high',
    description: 'Body temperature >= 38.1 °C (possible infective exacerbation)',
    citation: `${NEWS2}: temperature 38.1-39.0 scores 1`,
    definition: {
      kind: 'threshold',
      type: 'body_temperature',
      operator: '>=',
      value: 38.1,
      severity: 'info',
    },
  },
  {
    id: `${prefix}.spo2.missed`,
    group: 'spo2.missed',
    description: 'No oxygen saturation for 48 hours',
    citation: `${ADHERENCE}daily oximetry in the monitoring plan; 48 h allows one missed day`,
    definition: { kind: 'missed', type: 'oxygen_saturation', hours: 48, severity: 'info' },
  },
];

/** Rule sets an organisation starts from and then edits. Definitions are valid against docs/rules.schema.json. */
export const PROTOCOLS: ReadonlyArray<Protocol> = [
  {
    key: 'hypertension',
    name: 'Hypertension',
    rules: [
      asProtocolRule('hypertension.bp.crisis', 'default.bp.crisis'),
      asProtocolRule('hypertension.bp.grade3', 'default.bp.grade3'),
      asProtocolRule('hypertension.bp.grade2', 'default.bp.grade2'),
      {
        id: 'hypertension.bp.home-average',
        group: 'bp.home-average',
        description:
          'Home blood pressure at or above the diagnostic threshold: 7-day average systolic >= 135 or diastolic >= 85 mmHg (at least 12 readings)',
        citation: `${HOME_BP}. ${HOME_BP_SCHEDULE}`,
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
        description: 'Systolic blood pressure <= 90 mmHg (hypotension, e.g. over-treatment)',
        citation: `${NEWS2}: systolic <= 90 scores 3 (warning: see default.bp.low)`,
        definition: {
          kind: 'threshold',
          type: 'blood_pressure_systolic',
          operator: '<=',
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
        description: 'Body weight up 2 lb (0.9 kg) or more within 24 hours',
        citation: HF_WEIGHT,
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
        description: 'Body weight up 5 lb (2.3 kg) or more within 7 days',
        citation: HF_WEIGHT,
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
        description: "Body weight 2 kg or more above the patient's dry weight, on two weighings in a row",
        citation: `${ESC_HF_2021}. ${PROGRAMME_CHOICE}the 2 kg margin and the confirmation; the dry weight is set per patient (PUT /api/patients/{id}/baselines)`,
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
        description: 'Systolic blood pressure <= 90 mmHg (may limit guideline-directed therapy)',
        citation: `${NEWS2}: systolic <= 90 scores 3; ${AHA_ACC_HFSA_2022}, symptomatic hypotension`,
        definition: {
          kind: 'threshold',
          type: 'blood_pressure_systolic',
          operator: '<=',
          value: 90,
          severity: 'warning',
        },
      },
      {
        id: 'heart_failure.weight.missed',
        group: 'weight.missed',
        description: 'No body weight for 48 hours',
        citation: `${ADHERENCE}daily weighing is part of HF self-care (${AHA_ACC_HFSA_2022}); 48 h allows one missed morning`,
        definition: { kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' },
      },
    ],
  },
  {
    // COPD without hypercapnic respiratory failure keeps SpO2 scale 1 (the defaults).
    key: 'copd',
    name: 'COPD',
    rules: COPD_TEMPERATURE('copd'),
  },
  {
    key: 'copd_hypercapnic',
    name: 'COPD with hypercapnic respiratory failure (SpO2 target 88-92 %)',
    rules: [
      {
        id: 'copd_hypercapnic.spo2.critical',
        group: 'spo2.low',
        description: 'Oxygen saturation <= 83 %',
        citation: `${NEWS2} (SpO2 scale 2): <= 83 % scores 3. ${BTS_SCALES}`,
        definition: {
          kind: 'threshold',
          type: 'oxygen_saturation',
          operator: '<=',
          value: 83,
          severity: 'critical',
        },
      },
      {
        id: 'copd_hypercapnic.spo2.low',
        group: 'spo2.low',
        description: 'Oxygen saturation below the 88-92 % target (< 88 %), confirmed by a re-measurement',
        citation: `${BTS_O2}; ${NEWS2} (SpO2 scale 2): 84-87 % scores 1-2. A single low spot check is often a probe artefact, so the patient is asked to re-measure first`,
        remeasure: true,
        definition: {
          kind: 'threshold',
          type: 'oxygen_saturation',
          operator: '<',
          value: 88,
          severity: 'warning',
        },
      },
      ...COPD_TEMPERATURE('copd_hypercapnic'),
    ],
  },
  {
    key: 'diabetes',
    name: 'Diabetes',
    rules: [
      asProtocolRule('diabetes.glucose.hypo.level2', 'default.glucose.hypo.level2'),
      asProtocolRule('diabetes.glucose.hypo.level1', 'default.glucose.hypo.level1'),
      asProtocolRule('diabetes.glucose.hyper.severe', 'default.glucose.hyper.severe'),
      asProtocolRule('diabetes.glucose.hyper', 'default.glucose.hyper'),
      {
        id: 'diabetes.glucose.average',
        group: 'glucose.average',
        description:
          '14-day average glucose >= 183 mg/dL (above the less stringent A1C goal of 8 %; at least 14 readings)',
        citation: ADA_EAG,
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
        citation: `${ADHERENCE}72 h allows a weekend without readings`,
        definition: { kind: 'missed', type: 'blood_glucose', hours: 72, severity: 'info' },
      },
    ],
  },
];
