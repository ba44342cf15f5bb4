import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ACTIVE_ALERT_STATUSES } from '@homeward/contracts';
import { SEVERITY_LABELS, STATUS_LABELS } from '../alerts/alert-labels';
import { api, unwrap } from '../api/client';
import { formatAge, formatDateTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { formatMeasurement, measurementName } from '../patients/format';
import { latestByVital } from './latest-vitals';

const RECENT_READINGS = 100;
const REFRESH_MS = 60_000;

/** Beside the video: each vital's latest reading, and how long ago it was measured. */
export function LatestVitals({ patientId }: { patientId: string }) {
  const now = useNow();
  const vitals = useQuery({
    queryKey: ['patient', patientId, 'latest-vitals'],
    queryFn: () =>
      unwrap(
        api.GET('/api/patients/{patientId}/vitals', {
          params: { path: { patientId }, query: { limit: RECENT_READINGS } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  if (vitals.isError) return <p className="error">Could not load the readings.</p>;
  if (!vitals.data) return <p className="muted">Loading readings…</p>;
  const latest = latestByVital(vitals.data.items);
  if (latest.length === 0) return <p className="muted">No readings.</p>;
  return (
    <dl className="facts latest-vitals">
      {latest.map((reading) => (
        <div key={reading.type} className="latest-vital">
          <dt>{measurementName(reading)}</dt>
          <dd>
            <span className="reading-value">{formatMeasurement(reading)}</span>{' '}
            <time className="muted" dateTime={reading.measuredAt} title={formatDateTime(reading.measuredAt)}>
              {formatAge(reading.measuredAt, now)}
            </time>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Beside the video: the patient's alerts still needing attention, each linking to its details. */
export function OpenAlerts({ patientId }: { patientId: string }) {
  const alerts = useQuery({
    queryKey: ['patient', patientId, 'open-alerts'],
    queryFn: () =>
      unwrap(
        api.GET('/api/alerts', {
          params: { query: { patientId, status: [...ACTIVE_ALERT_STATUSES], limit: 20 } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  if (alerts.isError) return <p className="error">Could not load the alerts.</p>;
  if (!alerts.data) return <p className="muted">Loading alerts…</p>;
  if (alerts.data.items.length === 0) return <p className="muted">No open alerts.</p>;
  return (
    <ul className="open-alerts">
      {alerts.data.items.map((alert) => (
        <li key={alert.id}>
          <span className={`badge badge-${alert.severity}`}>{SEVERITY_LABELS[alert.severity]}</span>{' '}
          <Link to={`/alerts/${alert.id}`}>{alert.summary}</Link>
          <span className="muted"> · {STATUS_LABELS[alert.status]}</span>
        </li>
      ))}
    </ul>
  );
}
