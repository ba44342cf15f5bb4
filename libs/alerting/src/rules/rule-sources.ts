/**
 * The clinical sources rules cite, each written once. Where no guideline states a number, a
 * rule's citation says it is a programme choice instead (docs/rules.md lists both kinds).
 */
export const ACC_AHA_2017 =
  '2017 ACC/AHA Guideline for High Blood Pressure in Adults (Whelton et al., Hypertension 2018;71:e13-e115)';
export const ESH_2023 =
  '2023 ESH Guidelines for the management of arterial hypertension (Mancia et al., J Hypertens 2023;41:1874-2071)';
export const HOME_BP =
  'Home BP >= 135/85 mm Hg is the diagnostic threshold for hypertension at home (ESH; Hypertension Canada 2017), not a treatment target; the 2025 AHA/ACC guideline uses >= 130/80 at home';
export const HOME_BP_SCHEDULE =
  'Stergiou et al., J Clin Hypertens 2018;20:1116-1121: 4 to 7 days of home readings, morning and evening, 12 to 24 readings';
export const NEWS2 = 'Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017';
export const BTS_SCALES =
  'BTS 2017 (Thorax 2017;72 Suppl 1): NEWS2 SpO2 scale 2 is for hypercapnic respiratory failure with a prescribed 88-92 % target; scale 1 for other patients, including COPD without hypercapnic failure';
export const BTS_O2 =
  "BTS guideline for oxygen use in adults (O'Driscoll et al., Thorax 2017;72 Suppl 1:ii1-ii90): target 88-92 % for patients at risk of hypercapnic respiratory failure";
export const HF_WEIGHT =
  'Heart-failure self-care guidance (Cleveland Clinic; StayWell "Heart Failure Zones"; Healthwise): report a weight gain of 2 lb or more in a day or 5 lb or more in a week';
export const AHA_ACC_HFSA_2022 =
  '2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure (Heidenreich et al., Circulation 2022;145:e895-e1032)';
export const ESC_HF_2021 =
  '2021 ESC Guidelines for heart failure (McDonagh et al., Eur Heart J 2021;42:3599-3726), diuretics titrated to euvolaemia ("dry weight")';
export const ADA_2024 =
  'ADA Standards of Care in Diabetes 2024, section 6: level 1 hypoglycaemia <70 mg/dL (>= 54), level 2 <54 mg/dL';
export const ADA_CRISES =
  'ADA consensus report on hyperglycaemic crises in adults (Umpierrez et al., Diabetes Care 2024;47:1257-1275) uses glucose >= 200 mg/dL for DKA and >= 600 mg/dL for HHS';
export const ADA_EAG =
  'ADA Standards of Care 2024, section 6: A1C 8 % (a less stringent goal) corresponds to an estimated average glucose of 183 mg/dL (ADAG, Nathan et al., Diabetes Care 2008;31:1473-1478)';
export const PROGRAMME_CHOICE = 'Programme choice, not a guideline cut-off: ';
