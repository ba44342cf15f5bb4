import { useId, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ALERT_STATUSES, SEVERITIES, type AlertStatus, type Severity } from '@homeward/contracts';
import { useSession } from '../auth/session';
import { useNow } from '../lib/use-now';
import { AlertDetails } from './alert-details';
import { ACTIVE_STATUSES, compareAlerts, type AlertListFilter } from './alert-filters';
import { SEVERITY_LABELS, STATUS_LABELS } from './alert-labels';
import { useAlertList, useColleagues, usePatientProtocols, useProtocols } from './alert-queries';
import { AlertRow } from './alert-row';
import { ClosureStatus } from './closure-status';
import { usePendingClosures } from './pending-closures';
import { criticalAlertsEnabled, setCriticalAlertsEnabled } from './critical-alerts';

const isSeverity = (value: string | null): value is Severity => SEVERITIES.some((s) => s === value);
const isStatus = (value: string | null): value is AlertStatus => ALERT_STATUSES.some((s) => s === value);

/** Filters live in the URL: a reload, a shared link or a renewed session keeps them. */
function useQueueFilters() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const severity = params.get('severity');
  const filter: AlertListFilter = {
    statuses: status === 'all' ? ALERT_STATUSES : isStatus(status) ? [status] : ACTIVE_STATUSES,
    severity: isSeverity(severity) ? severity : null,
    assignedToMe: params.get('mine') === '1',
  };
  const set = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  return { filter, status: status ?? 'active', protocol: params.get('protocol') ?? '', set };
}

/** The landing page: every alert that needs someone, worst and oldest first, live. */
export function AlertQueuePage() {
  const { user } = useSession();
  const { filter, status, protocol, set } = useQueueFilters();
  const alerts = useAlertList(filter, user.id);
  const colleagues = useColleagues();
  const protocols = useProtocols();
  const now = useNow();
  // `/alerts/{id}`, the link in email and SMS notifications, opens that alert's details.
  const [selectedId, setSelectedId] = useState<string | null>(useParams().alertId ?? null);
  const [sound, setSound] = useState(criticalAlertsEnabled);
  const closures = usePendingClosures();
  const ids = { severity: useId(), status: useId(), protocol: useId(), mine: useId(), sound: useId() };

  const items = useMemo(() => [...(alerts.data?.items ?? [])].sort(compareAlerts), [alerts.data]);
  const patientIds = useMemo(() => [...new Set(items.map((alert) => alert.patientId))], [items]);
  const patientProtocols = usePatientProtocols(patientIds, protocol !== '');
  const shown = protocol
    ? items.filter((alert) => patientProtocols.protocols.get(alert.patientId)?.includes(protocol))
    : items;
  const names = new Map(colleagues.data?.items.map((colleague) => [colleague.id, colleague.displayName]));
  const selected = shown.find((alert) => alert.id === selectedId) ?? null;
  // Back to the row the details were opened from, so keyboard users keep their place.
  const closeDetails = () => {
    const id = selectedId;
    setSelectedId(null);
    requestAnimationFrame(() =>
      document.querySelector<HTMLButtonElement>(`tr[data-alert-id="${id}"] button[aria-expanded]`)?.focus(),
    );
  };

  return (
    <div className={selected ? 'queue-layout with-details' : 'queue-layout'}>
      <section aria-labelledby="queue-title">
        <h1 id="queue-title">Alert queue</h1>
        <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
          <div>
            <label htmlFor={ids.severity}>Severity</label>
            <select
              id={ids.severity}
              value={filter.severity ?? ''}
              onChange={(event) => set('severity', event.target.value)}
            >
              <option value="">All severities</option>
              {[...SEVERITIES].reverse().map((severity) => (
                <option key={severity} value={severity}>
                  {SEVERITY_LABELS[severity]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={ids.status}>Status</label>
            <select
              id={ids.status}
              value={status}
              onChange={(event) => set('status', event.target.value === 'active' ? null : event.target.value)}
            >
              <option value="active">Needs attention</option>
              {ALERT_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {STATUS_LABELS[value]}
                </option>
              ))}
              <option value="all">All statuses</option>
            </select>
          </div>
          <div>
            <label htmlFor={ids.protocol}>Protocol</label>
            <select
              id={ids.protocol}
              value={protocol}
              onChange={(event) => set('protocol', event.target.value)}
            >
              <option value="">All protocols</option>
              {protocols.data?.items.map((item) => (
                <option key={item.key} value={item.key}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
          <div className="checkbox">
            <input
              id={ids.mine}
              type="checkbox"
              checked={filter.assignedToMe}
              onChange={(event) => set('mine', event.target.checked ? '1' : null)}
            />
            <label htmlFor={ids.mine}>Assigned to me</label>
          </div>
          <div className="checkbox">
            <input
              id={ids.sound}
              type="checkbox"
              checked={sound}
              onChange={(event) => {
                setSound(event.target.checked);
                void setCriticalAlertsEnabled(event.target.checked);
              }}
            />
            <label htmlFor={ids.sound}>Sound and notification for critical alerts</label>
          </div>
        </form>

        {alerts.isError && (
          <p role="alert" className="error">
            Could not load the queue: {alerts.error.message}
          </p>
        )}
        <table className="queue">
          <caption className="visually-hidden">
            Alerts, most severe first, then longest waiting first. {shown.length} shown.
          </caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Patient</th>
              <th scope="col">What fired</th>
              <th scope="col">Status</th>
              <th scope="col">Age</th>
              <th scope="col">Assigned to</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((alert) => (
              <AlertRow
                key={alert.id}
                alert={alert}
                now={now}
                assigneeName={alert.assignedTo ? (names.get(alert.assignedTo) ?? null) : null}
                selected={alert.id === selectedId}
                closing={closures.find((closure) => closure.alertId === alert.id)}
                onSelect={(id) => setSelectedId((current) => (current === id ? null : id))}
              />
            ))}
          </tbody>
        </table>
        {alerts.isPending && <p role="status">Loading alerts…</p>}
        {alerts.isSuccess && shown.length === 0 && (
          <p role="status" className="empty">
            {protocol && patientProtocols.pending ? 'Loading protocols…' : 'No alerts match these filters.'}
          </p>
        )}
      </section>
      <ClosureStatus closures={closures} />
      {selected && <AlertDetails alert={selected} userId={user.id} onClose={closeDetails} />}
    </div>
  );
}
