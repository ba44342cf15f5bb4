/**
 * UCUM codes as people read them. The codes stay in the API and the device contract (UCUM,
 * unitsofmeasure.org); every text a person reads (the queue, the patient view, alert
 * summaries, notifications) shows these instead: "186 mmHg", not "186 mm[Hg]".
 */
export const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  kPa: 'kPa',
  '/min': 'beats/min',
  '{beats}/min': 'beats/min',
  kg: 'kg',
  g: 'g',
  '[lb_av]': 'lb',
  '%': '%',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  Cel: '°C',
  '[degF]': '°F',
};

/** How a person reads `ucum`; an unknown code is shown as it is. */
export function displayUnit(ucum: string): string {
  return Object.prototype.hasOwnProperty.call(UNIT_DISPLAY, ucum) ? UNIT_DISPLAY[ucum] : ucum;
}
