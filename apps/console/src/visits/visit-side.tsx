import { useId, useState } from 'react';
import { formatDateTime } from '../lib/format';
import { GuestLinkForm } from './guest-link';
import { PatientLinkBox } from './patient-link';
import type { VisitPageState } from './start-visit-button';
import { useNewPatientLink, useVisitAction } from './visit-api';
import { formatDuration, PARTICIPANT_ROLE_LABELS } from './visit-labels';
import type { VisitDetail as Visit } from './visit-types';

/** The API's limit (libs/telehealth VISIT_NOTES_MAX_LENGTH). */
const VISIT_NOTES_MAX_LENGTH = 20_000;

/** The patient's link (shown once), a new one on request, and guests' links. */
export function PatientLinkPanel({
  visit,
  initial,
}: {
  visit: Visit;
  initial: VisitPageState['patientLink'];
}) {
  const renew = useNewPatientLink(visit.id);
  const link = renew.data ?? initial;
  return (
    <div className="patient-link-panel">
      <h2>Patient&apos;s link</h2>
      {link ? (
        <PatientLinkBox link={link} />
      ) : (
        <p className="muted">The link was shown when the visit was created. A new one voids it.</p>
      )}
      <button type="button" className="secondary" disabled={renew.isPending} onClick={() => renew.mutate()}>
        {link ? 'Issue a new link (voids this one)' : 'Issue a new link'}
      </button>
      {renew.isError ? (
        <p role="alert" className="error">
          Could not issue a link: {renew.error.message}
        </p>
      ) : null}
      <GuestLinkForm visitId={visit.id} />
    </div>
  );
}

export function VisitFacts({ visit }: { visit: Visit }) {
  return (
    <>
      <h2>Visit</h2>
      <dl className="facts">
        {visit.scheduledFor ? (
          <>
            <dt>Scheduled for</dt>
            <dd>{formatDateTime(visit.scheduledFor)}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDateTime(visit.createdAt)}</dd>
        {visit.startedAt ? (
          <>
            <dt>Started</dt>
            <dd>{formatDateTime(visit.startedAt)}</dd>
          </>
        ) : null}
        {visit.endedAt ? (
          <>
            <dt>Ended</dt>
            <dd>{formatDateTime(visit.endedAt)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(visit.durationSeconds)}</dd>
          </>
        ) : null}
      </dl>
      {visit.participants?.length ? (
        <ul className="participants">
          {visit.participants.map((participant, index) => (
            <li key={index}>
              {participant.label ?? PARTICIPANT_ROLE_LABELS[participant.role]}
              {participant.joinedAt ? `: joined ${formatDateTime(participant.joinedAt)}` : ': not joined'}
              {participant.joinedAt
                ? participant.leftAt
                  ? `, ${formatDuration(participant.seconds)}`
                  : ', still in the room'
                : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The visit's notes: one text, saved whole (the API keeps the latest, with when it was written). */
export function VisitNotes({ visit }: { visit: Visit }) {
  const action = useVisitAction(visit.id);
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const text = draft ?? visit.notes ?? '';
  return (
    <div className="visit-notes">
      <h2>Notes</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          action.mutate({ kind: 'notes', text }, { onSuccess: () => setDraft(null) });
        }}
      >
        <label htmlFor={id}>Visit notes</label>
        <textarea
          id={id}
          maxLength={VISIT_NOTES_MAX_LENGTH}
          rows={5}
          value={text}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={action.isPending || draft === null}>
          Save notes
        </button>
        <p className="hint" role="status">
          {action.isPending
            ? 'Saving…'
            : draft !== null
              ? 'Not saved yet.'
              : visit.notesUpdatedAt
                ? `Saved ${formatDateTime(visit.notesUpdatedAt)}.`
                : null}
        </p>
        {action.isError ? (
          <p role="alert" className="error">
            Could not save the notes: {action.error.message}
          </p>
        ) : null}
      </form>
    </div>
  );
}

export function EndVisit({ visit, onEnded }: { visit: Visit; onEnded: () => void }) {
  const action = useVisitAction(visit.id);
  const [confirming, setConfirming] = useState(false);
  const started = visit.status !== 'scheduled';
  const kind = started ? 'end' : 'cancel';
  return (
    <div className="end-visit">
      {confirming ? (
        <>
          <p>
            {started
              ? 'End the visit for everyone in the room?'
              : 'Cancel the visit? The patient’s link stops working.'}
          </p>
          <button
            type="button"
            className="danger"
            disabled={action.isPending}
            onClick={() => action.mutate({ kind }, { onSuccess: onEnded })}
          >
            {started ? 'Yes, end the visit' : 'Yes, cancel the visit'}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it going
          </button>
        </>
      ) : (
        <>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            End visit
          </button>
        </>
      )}
      {action.isError ? (
        <p role="alert" className="error">
          Could not {kind} the visit: {action.error.message}
        </p>
      ) : null}
    </div>
  );
}
