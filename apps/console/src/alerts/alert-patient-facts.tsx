import { useQueries, useQuery } from '@tanstack/react-query';
import type { AlertDto, VitalType } from '@homeward/contracts';
import { api, unwrap } from '../api/client';
import { formatDateTime } from '../lib/format';
import { formatMeasurement, isVitalType, measurementName, PROTOCOL_NAMES } from '../patients/format';
import { usePatient } from './alert-queries';

const RECENT = 10;
const BLOOD_PRESSURE: VitalType[] = ['blood_pressure_systolic', 'blood_pressure_diastolic'];

/** The vital types an alert is about: both halves of a blood pressure, else its trigger's type. */
export function alertVitalTypes(alert: Pick<AlertDto, 'trigger'>): VitalType[] {
  const type = alert.trigger?.type;
  if (!type || !isVitalType(type)) return [];
  return BLOOD_PRESSURE.includes(type) ? BLOOD_PRESSURE : [type];
}

/** How to reach the patient now: the phone as a tel: link (one tap on a phone) and the email. */
export function PatientContact({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  if (!patient.data) return <dd className="muted">{patient.isError ? 'Could not load' : 'Loading…'}</dd>;
  const { phone, email } = patient.data;
  if (!phone && !email) return <dd className="muted">No phone or email on record</dd>;
  return (
    <dd>
      {phone ? <a href={`tel:${phone}`}>{phone}</a> : null}
      {phone && email ? <br /> : null}
      {email ? <a href={`mailto:${email}`}>{email}</a> : null}
    </dd>
  );
}

export function PatientProtocols({ patientId }: { patientId: string }) {
  const rules = useQuery({
    queryKey: ['patients', 'rules', patientId],
    queryFn: () => unwrap(api.GET('/api/patients/{patientId}/rules', { params: { path: { patientId } } })),
    staleTime: 5 * 60_000,
  });
  if (!rules.data) return <dd className="muted">{rules.isError ? 'Could not load' : 'Loading…'}</dd>;
  const names = rules.data.protocols.map((key) => PROTOCOL_NAMES[key] ?? key);
  return <dd>{names.length ? names.join(', ') : 'None'}</dd>;
}

/**
 * The newest readings of the vitals the alert is about, blood pressure as systolic/diastolic
 * together (the halves of one measurement share its message and time).
 */
function useRecentReadings(alert: AlertDto) {
  const types = alertVitalTypes(alert);
  return useQueries({
    queries: types.map((type) => ({
      queryKey: ['alerts', 'recent-readings', alert.patientId, type, alert.lastMeasuredAt],
      queryFn: () =>
        unwrap(
          api.GET('/api/patients/{patientId}/vitals', {
            params: { path: { patientId: alert.patientId }, query: { type, limit: RECENT } },
          }),
        ),
    })),
  });
}

/**
 * The other half of the blood pressure whose half is the alert's latest value (the reading of
 * the other type measured at the same time), from the same queries as the recent readings;
 * undefined for other vitals or until loaded.
 */
export function useLatestOtherHalf(alert: AlertDto): number | undefined {
  const results = useRecentReadings(alert);
  const type = alert.trigger?.type;
  if (results.length !== 2 || !type || !alert.lastMeasuredAt) return undefined;
  const at = Date.parse(alert.lastMeasuredAt);
  const other = results
    .flatMap((result) => result.data?.items ?? [])
    .find((reading) => reading.type !== type && Date.parse(reading.measuredAt) === at);
  return other?.value;
}

export function RecentReadings({ alert }: { alert: AlertDto }) {
  const types = alertVitalTypes(alert);
  const results = useRecentReadings(alert);
  if (types.length === 0) return null;
  if (results.some((result) => result.isError)) return <p className="error">Could not load the readings.</p>;
  if (results.some((result) => !result.data)) return <p className="muted">Loading readings…</p>;
  const [first, ...others] = results.map((result) => result.data?.items ?? []);
  const rows = first
    .map((reading) => ({
      ...reading,
      alongside: others
        .flat()
        .filter((other) => other.messageId === reading.messageId && other.measuredAt === reading.measuredAt),
    }))
    .sort((a, b) => Date.parse(b.measuredAt) - Date.parse(a.measuredAt));
  if (rows.length === 0) return <p className="muted">No readings.</p>;
  return (
    <table className="recent-readings">
      <caption>Newest {measurementName(rows[0]).toLowerCase()} readings</caption>
      <tbody>
        {rows.map((reading) => (
          <tr key={`${reading.messageId}-${reading.type}`}>
            <td>
              <time dateTime={reading.measuredAt}>{formatDateTime(reading.measuredAt)}</time>
            </td>
            <td className="reading-value">{formatMeasurement(reading)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
