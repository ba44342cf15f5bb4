import { createSeededRandom } from './seeded-random';

/** A simulated patient's stable baseline, in catalogue units. */
export interface PatientProfile {
  patientId: string;
  systolic: number;
  diastolic: number;
  heartRate: number;
  weightKg: number;
  /** Phase of the slow weight oscillation, so patients do not drift in step. */
  weightPhase: number;
  spo2: number;
  glucoseMgDl: number;
  temperatureCel: number;
}

/** Same patient id and seed → same baseline, so a restarted demo keeps its patients' character. */
export function createPatientProfile(patientId: string, seed: string): PatientProfile {
  const rng = createSeededRandom(`${seed}|patient|${patientId}`);
  const systolic = rng.uniform(118, 150);
  // Diastolic follows systolic loosely: a hypertensive patient is rarely 150/72.
  const diastolic = Math.min(92, Math.max(72, 72 + (systolic - 118) * 0.45 + rng.uniform(-5, 5)));
  return {
    patientId,
    systolic,
    diastolic,
    heartRate: rng.uniform(60, 86),
    weightKg: rng.uniform(55, 115),
    weightPhase: rng.uniform(0, 2 * Math.PI),
    spo2: rng.uniform(95, 98.5),
    glucoseMgDl: rng.uniform(95, 160),
    temperatureCel: rng.uniform(36.4, 37),
  };
}
