import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { usePatient } from '../alerts/alert-queries';
import { formatDateTime } from '../lib/format';
import { PatientLinkBox } from './patient-link';
import { LatestVitals, OpenAlerts } from './patient-facts';
import { useCanStartVisit, type VisitPageState } from './start-visit-button';
import { joinVisit, useNewPatientLink, useVisit, useVisitAction } from './visit-api';
import {
  formatDuration,
  isOpenVisit,
  isVideoNotConfigured,
  PARTICIPANT_ROLE_LABELS,
  visitStatusLabel,
} from './visit-labels';
import { VisitRoom } from './visit-room';
import type { JoinGrant, VisitDetail as Visit } from './visit-types';
import { VideoNotConfigured } from './video-not-configured';
import './visits.css';

/** The API's limit (libs/telehealth VISIT_NOTES_MAX_LENGTH). */
const VISIT_NOTES_MAX_LENGTH = 20_000;

type CallState =
  | { phase: 'idle' }
  | { phase: 'joining' }
  | { phase: 'joined'; grant: JoinGrant }
  | { phase: 'left'; reason: 'left' | 'ended' }
  | { phase: 'failed'; error: Error };

/** The clinician's visit: the room, and beside it the patient's latest vitals, open alerts and notes. */
export function VisitPage() {
  const { visitId = '' } = useParams();
  const visit = useVisit(visitId);
  if (visit.isError)
    return (
      <section>
        <h1>Visit not found</h1>
        <p role="alert">
          {visit.error instanceof ApiError && visit.error.status === 404
            ? 'No such visit in your organisation.'
            : visit.error instanceof ApiError && isVideoNotConfigured(visit.error.status, visit.error.body)
              ? null
              : `Could not load the visit: ${visit.error.message}`}
        </p>
        {visit.error instanceof ApiError && isVideoNotConfigured(visit.error.status, visit.error.body) ? (
          <VideoNotConfigured />
        ) : null}
        <p>
          <Link to="/">Back to the alert queue</Link>
        </p>
      </section>
    );
  if (!visit.data)
    return (
      <section>
        <p role="status">Loading the visit…</p>
      </section>
    );
  return <VisitView visit={visit.data} />;
}

function VisitView({ visit }: { visit: Visit }) {
  const location = useLocation();
  const state = (location.state ?? {}) as VisitPageState;
  const patient = usePatient(visit.patientId);
  const [call, setCall] = useState<CallState>({ phase: 'idle' });
  const open = isOpenVisit(visit.status);
  const autoJoined = useRef(false);
  const canAct = useCanStartVisit();
  const name = patient.data ? `${patient.data.givenName} ${patient.data.familyName}` : 'the patient';

  const join = () => {
    setCall({ phase: 'joining' });
    joinVisit(visit.id).then(
      (grant) => setCall({ phase: 'joined', grant }),
      (error: unknown) =>
        setCall({ phase: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  };
  // Arriving from "Start video visit": join at once (the click was the intent to join).
  useEffect(() => {
    if (state.join && open && canAct && !autoJoined.current) {
      autoJoined.current = true;
      join();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);
  // The visit ended elsewhere (another clinician, LiveKit's room_finished): out of the room.
  const shown: CallState = !open && call.phase === 'joined' ? { phase: 'left', reason: 'ended' } : call;

  return (
    <div className="visit-page">
      <p className="breadcrumb">
        <Link to={`/patients/${visit.patientId}`}>{name}</Link> › Video visit
        {visit.alertId ? (
          <>
            {' · '}
            <Link to={`/alerts/${visit.alertId}`}>the alert it is about</Link>
          </>
        ) : null}
      </p>
      <div className="page-heading">
        <h1>Video visit with {name}</h1>
        <p
          role="status"
          className={`visit-live-status visit-status-${visit.status}`}
          data-status={visit.status}
        >
          {visitStatusLabel(visit.status)}
        </p>
      </div>
      <div className="visit-layout">
        <section aria-label="Video" className="visit-video">
          {canAct ? (
            <CallArea
              call={shown}
              open={open}
              onJoin={join}
              onLeave={(reason) => setCall({ phase: 'left', reason })}
            />
          ) : (
            <p>Administrators can read a visit; its clinicians and coordinators join it.</p>
          )}
        </section>
        <aside className="visit-side" aria-label="Patient and visit">
          {open && canAct ? <PatientLinkPanel visit={visit} initial={state.patientLink} /> : null}
          <h2>Latest vitals</h2>
          <LatestVitals patientId={visit.patientId} />
          <h2>Open alerts</h2>
          <OpenAlerts patientId={visit.patientId} />
          <VisitFacts visit={visit} />
          {canAct ? (
            <VisitNotes visit={visit} />
          ) : (
            <>
              <h2>Notes</h2>
              <p className="visit-notes-text">{visit.notes ?? 'None.'}</p>
            </>
          )}
          {open && canAct ? (
            <EndVisit visit={visit} onEnded={() => setCall({ phase: 'left', reason: 'ended' })} />
          ) : null}
        </aside>
      </div>
    </div>
  );
}

function CallArea({
  call,
  open,
  onJoin,
  onLeave,
}: {
  call: CallState;
  open: boolean;
  onJoin: () => void;
  onLeave: (reason: 'left' | 'ended') => void;
}) {
  switch (call.phase) {
    case 'joined':
      return (
        <VisitRoom
          serverUrl={call.grant.url}
          token={call.grant.token}
          variant="clinician"
          onLeave={onLeave}
        />
      );
    case 'joining':
      return <p role="status">Joining the visit…</p>;
    case 'failed':
      return call.error instanceof ApiError && isVideoNotConfigured(call.error.status, call.error.body) ? (
        <VideoNotConfigured />
      ) : (
        <div>
          <p role="alert" className="error">
            Could not join the visit: {call.error.message}
          </p>
          {open ? (
            <button type="button" className="primary" onClick={onJoin}>
              Try again
            </button>
          ) : null}
        </div>
      );
    case 'left':
    case 'idle':
      return (
        <div className="visit-idle">
          {call.phase === 'left' ? (
            <p role="status">{call.reason === 'ended' ? 'The visit has ended.' : 'You left the call.'}</p>
          ) : null}
          {open ? (
            <button type="button" className="primary big" onClick={onJoin}>
              {call.phase === 'left' ? 'Rejoin the call' : 'Join the call'}
            </button>
          ) : (
            <p>This visit is over; the call cannot be joined.</p>
          )}
        </div>
      );
  }
}

function PatientLinkPanel({ visit, initial }: { visit: Visit; initial: VisitPageState['patientLink'] }) {
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
    </div>
  );
}

function VisitFacts({ visit }: { visit: Visit }) {
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
function VisitNotes({ visit }: { visit: Visit }) {
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

function EndVisit({ visit, onEnded }: { visit: Visit; onEnded: () => void }) {
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
