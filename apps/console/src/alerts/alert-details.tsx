import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { actionAllowed, isActiveAlertStatus, type AlertDto } from '@homeward/contracts';
import { formatDateTime } from '../lib/format';
import { ActionError } from './action-error';
import { latestValueLabel, latestValueText, SEVERITY_LABELS, STATUS_LABELS } from './alert-labels';
import { PatientContact, PatientProtocols, RecentReadings, useLatestOtherHalf } from './alert-patient-facts';
import {
  sendAlertAction,
  useAlertAction,
  useAlertDetail,
  useColleagues,
  type AlertActionRequest,
} from './alert-queries';
import { closeAfterUndoWindow, usePendingClosures } from './pending-closures';
import { PatientName } from './alert-row';
import { AlertVisits } from '../visits/alert-visits';

const SNOOZE_HOURS = [1, 4, 8, 24];

const ACTION_WORDS: Record<AlertActionRequest['action'], string> = {
  acknowledge: 'acknowledge',
  escalate: 'escalate',
  assign: 'assign',
  note: 'add the note',
  snooze: 'snooze',
  resolve: 'resolve',
  dismiss: 'dismiss',
};

/** A text field of a history entry's detail (documented as a free-form object). */
function detailText(detail: object, key: 'text' | 'reason'): string | undefined {
  const value: unknown = (detail as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

interface AlertDetailsProps {
  alert: AlertDto;
  userId: string;
  onClose: () => void;
}

/** Everything that can be done to one alert, and what was done to it so far. */
export function AlertDetails({ alert, userId, onClose }: AlertDetailsProps) {
  const action = useAlertAction(alert.id);
  const queryClient = useQueryClient();
  const closing = usePendingClosures().some((pending) => pending.alertId === alert.id && !pending.error);
  const detail = useAlertDetail(alert.id);
  const colleagues = useColleagues();
  const heading = useRef<HTMLHeadingElement>(null);
  const [assignee, setAssignee] = useState(userId);
  const [note, setNote] = useState('');
  const [snoozeHours, setSnoozeHours] = useState(SNOOZE_HOURS[0]);
  const [reason, setReason] = useState('');
  const [last, setLast] = useState<AlertActionRequest['action']>('acknowledge');
  const ids = { assignee: useId(), note: useId(), snooze: useId(), reason: useId() };
  const active = isActiveAlertStatus(alert.status) && !closing;
  const otherHalf = useLatestOtherHalf(alert);
  const latest = latestValueLabel(alert, otherHalf);
  const names = new Map(colleagues.data?.items.map((user) => [user.id, user.displayName]));

  useEffect(() => heading.current?.focus(), [alert.id]);

  const run = (request: AlertActionRequest, after?: () => void) => {
    setLast(request.action);
    action.mutate(request, { onSuccess: after });
  };
  const submit = (event: FormEvent, request: AlertActionRequest, after?: () => void) => {
    event.preventDefault();
    run(request, after);
  };

  return (
    <aside
      className="alert-details"
      aria-labelledby={`details-${alert.id}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="details-head">
        <h2 id={`details-${alert.id}`} ref={heading} tabIndex={-1}>
          {alert.summary}
          {latest && <span className="latest-value"> · {latest}</span>}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Patient</dt>
        <dd>
          <PatientName patientId={alert.patientId} />
        </dd>
        <dt>Contact</dt>
        <PatientContact patientId={alert.patientId} />
        <dt>Protocols</dt>
        <PatientProtocols patientId={alert.patientId} />
        <dt>Severity</dt>
        <dd>{SEVERITY_LABELS[alert.severity]}</dd>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[alert.status]}</dd>
        <dt>Rule</dt>
        <dd>{alert.rule.description}</dd>
        {alert.lastValue !== null && alert.trigger && (
          <>
            <dt>Latest value</dt>
            <dd>
              {latestValueText(alert, otherHalf)}
              {alert.lastMeasuredAt && `, measured ${formatDateTime(alert.lastMeasuredAt)}`}
            </dd>
          </>
        )}
        <dt>Raised</dt>
        <dd>{formatDateTime(alert.createdAt)}</dd>
        {alert.snoozedUntil && (
          <>
            <dt>Snoozed until</dt>
            <dd>{formatDateTime(alert.snoozedUntil)}</dd>
          </>
        )}
      </dl>

      <ActionError error={action.error} action={ACTION_WORDS[last]} />

      <div className="details-buttons">
        <button
          type="button"
          disabled={!actionAllowed('acknowledge', alert.status) || action.isPending}
          onClick={() => run({ action: 'acknowledge' })}
        >
          Acknowledge
        </button>
        <button
          type="button"
          disabled={!actionAllowed('escalate', alert.status) || action.isPending}
          onClick={() => run({ action: 'escalate' })}
        >
          Escalate
        </button>
      </div>

      {active && (
        <form onSubmit={(event) => submit(event, { action: 'assign', userId: assignee })}>
          <label htmlFor={ids.assignee}>Assign to</label>
          <select id={ids.assignee} value={assignee} onChange={(event) => setAssignee(event.target.value)}>
            {colleagues.data?.items.map((user) => (
              <option key={user.id} value={user.id}>
                {user.id === userId ? `Me (${user.displayName})` : user.displayName} · {user.role}
              </option>
            )) ?? <option value={userId}>Me</option>}
          </select>
          <button type="submit" disabled={action.isPending}>
            Assign
          </button>
        </form>
      )}

      {active && (
        <form
          onSubmit={(event) =>
            submit(
              event,
              { action: 'snooze', until: new Date(Date.now() + snoozeHours * 3600_000).toISOString() },
              undefined,
            )
          }
        >
          <label htmlFor={ids.snooze}>Snooze for</label>
          <select
            id={ids.snooze}
            value={snoozeHours}
            disabled={alert.severity === 'critical'}
            onChange={(event) => setSnoozeHours(Number(event.target.value))}
          >
            {SNOOZE_HOURS.map((hours) => (
              <option key={hours} value={hours}>
                {hours} h
              </option>
            ))}
          </select>
          <button type="submit" disabled={alert.severity === 'critical' || action.isPending}>
            Snooze
          </button>
          {alert.severity === 'critical' && <p className="hint">Critical alerts are never snoozed.</p>}
        </form>
      )}

      {active && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const submitter = event.nativeEvent.submitter;
            const kind = submitter?.getAttribute('value') === 'dismiss' ? 'dismiss' : 'resolve';
            closeAfterUndoWindow(alert.id, kind, reason, () =>
              sendAlertAction(queryClient, alert.id, { action: kind, reason }),
            );
            setReason('');
            onClose();
          }}
        >
          <label htmlFor={ids.reason}>Reason to resolve or dismiss</label>
          <input
            id={ids.reason}
            required
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <button type="submit" value="resolve" disabled={action.isPending}>
            Resolve
          </button>
          <button type="submit" value="dismiss" className="secondary" disabled={action.isPending}>
            Dismiss
          </button>
        </form>
      )}

      <form onSubmit={(event) => submit(event, { action: 'note', text: note }, () => setNote(''))}>
        <label htmlFor={ids.note}>Note</label>
        <textarea
          id={ids.note}
          required
          maxLength={2000}
          rows={2}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <button type="submit" disabled={action.isPending}>
          Add note
        </button>
      </form>

      <AlertVisits alertId={alert.id} patientId={alert.patientId} />

      <h3>Recent readings</h3>
      <RecentReadings alert={alert} />

      <h3>History</h3>
      {detail.data ? (
        <ol className="history">
          {detail.data.history.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {entry.action.replace('_', ' ')}
              {' by '}
              {entry.actorUserId ? (names.get(entry.actorUserId) ?? 'a colleague') : 'Homeward'}
              {detailText(entry.detail, 'text') && `: “${detailText(entry.detail, 'text')}”`}
              {detailText(entry.detail, 'reason') && `: ${detailText(entry.detail, 'reason')}`}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{detail.isError ? 'Could not load the history.' : 'Loading history…'}</p>
      )}
    </aside>
  );
}
