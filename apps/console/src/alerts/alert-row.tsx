import { Link } from 'react-router';
import { actionAllowed, type AlertDto } from '@homeward/contracts';
import { formatAge, formatDateTime } from '../lib/format';
import { latestValueLabel, SEVERITY_LABELS, STATUS_LABELS } from './alert-labels';
import { useAlertAction, usePatient } from './alert-queries';
import { ActionError } from './action-error';
import type { PendingClosure } from './pending-closures';

export function PatientName({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  if (patient.data)
    return (
      <Link to={`/patients/${patientId}`}>
        {patient.data.givenName} {patient.data.familyName}
      </Link>
    );
  return <span className="muted">{patient.isError ? 'Unknown patient' : 'Loading…'}</span>;
}

interface AlertRowProps {
  alert: AlertDto;
  now: number;
  assigneeName: string | null;
  selected: boolean;
  /** A resolve or dismiss held for its undo window. */
  closing: PendingClosure | undefined;
  onSelect: (alertId: string) => void;
}

/** One alert: who, what fired, how bad, where it stands, how long it has waited, who has it. */
export function AlertRow({ alert, now, assigneeName, selected, closing, onSelect }: AlertRowProps) {
  const acknowledge = useAlertAction(alert.id);
  const canAcknowledge = actionAllowed('acknowledge', alert.status) && !closing;
  const latest = latestValueLabel(alert);
  return (
    <tr className={`severity-${alert.severity}${selected ? ' selected' : ''}`} data-alert-id={alert.id}>
      <td data-label="Severity">
        <span className={`badge badge-${alert.severity}`}>{SEVERITY_LABELS[alert.severity]}</span>
      </td>
      <td data-label="Patient">
        <PatientName patientId={alert.patientId} />
      </td>
      <td data-label="What fired">
        {alert.summary}
        {latest && <span className="latest-value"> · {latest}</span>}
        {alert.occurrences > 1 && <span className="muted"> · {alert.occurrences} readings</span>}
        {alert.late && <span className="muted"> · arrived late</span>}
      </td>
      <td data-label="Status">
        {closing && !closing.error
          ? closing.action === 'resolve'
            ? 'Resolving…'
            : 'Dismissing…'
          : STATUS_LABELS[alert.status]}
      </td>
      <td data-label="Age">
        <time dateTime={alert.createdAt} title={formatDateTime(alert.createdAt)}>
          {formatAge(alert.createdAt, now)}
        </time>
      </td>
      <td data-label="Assigned to">
        {alert.assignedTo ? (assigneeName ?? 'A colleague') : <span className="muted">Nobody</span>}
      </td>
      <td className="row-actions">
        <button
          type="button"
          disabled={!canAcknowledge || acknowledge.isPending}
          onClick={() => acknowledge.mutate({ action: 'acknowledge' })}
        >
          Acknowledge
        </button>
        <button type="button" aria-expanded={selected} onClick={() => onSelect(alert.id)}>
          Details
        </button>
        <ActionError error={acknowledge.error} action="acknowledge" />
      </td>
    </tr>
  );
}
