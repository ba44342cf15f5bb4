import { useParams } from 'react-router';

/** Placeholder: the patient view arrives on branch issue8-patients. */
export function PatientPage() {
  const { patientId } = useParams();
  return (
    <section aria-labelledby="patient-title">
      <h1 id="patient-title">Patient</h1>
      <p>Patient {patientId}: the patient view is on its way.</p>
    </section>
  );
}
