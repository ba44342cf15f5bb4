import { formatMoment } from './format';

/** A time in the user's zone, with the patient's local time beside it when that differs. */
export function Moment({
  iso,
  patientTimeZone,
}: {
  iso: string;
  patientTimeZone: string | null | undefined;
}) {
  const { user, patient } = formatMoment(iso, patientTimeZone);
  return (
    <>
      <time dateTime={iso}>{user}</time>
      {patient ? <span className="patient-time"> (patient: {patient})</span> : null}
    </>
  );
}
