import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { usePatient } from '../alerts/alert-queries';
import { LatestVitals, OpenAlerts } from './patient-facts';
import { EndVisit, PatientLinkPanel, VisitFacts, VisitNotes } from './visit-side';
import { useCanStartVisit, type VisitPageState } from './start-visit-button';
import { joinVisit, useVisit } from './visit-api';
import { isOpenVisit, isVideoNotConfigured, visitStatusLabel } from './visit-labels';
import { VisitRoom } from './visit-room';
import type { JoinGrant, VisitDetail as Visit } from './visit-types';
import { VideoNotConfigured } from './video-not-configured';
import './visits.css';

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
