import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { isVideoNotConfigured } from './visit-labels';
import { useCreateVisit, useVideoConfig } from './visit-api';
import { VideoNotConfigured } from './video-not-configured';

/** Clinicians and coordinators see patients face to face; administrators manage, they do not visit. */
export function useCanStartVisit(): boolean {
  const { user } = useSession();
  return user.role === 'clinician' || user.role === 'coordinator';
}

/** Where the visit page takes the patient's link from: it is shown once, right after creation. */
export interface VisitPageState {
  patientLink?: { url: string; expiresAt: string };
  join?: boolean;
}

/**
 * Creates a visit (from an alert when `alertId` is given) and opens its page, which joins the
 * room and shows the patient's link to send.
 */
export function StartVisitButton({ patientId, alertId }: { patientId: string; alertId?: string }) {
  const canStart = useCanStartVisit();
  const create = useCreateVisit();
  const config = useVideoConfig();
  const navigate = useNavigate();
  if (!canStart) return null;
  if (config.data && !config.data.configured) return <VideoNotConfigured />;
  const error = create.error;
  return (
    <div className="start-visit">
      <button
        type="button"
        className="primary"
        disabled={create.isPending}
        onClick={() =>
          create.mutate(alertId ? { patientId, alertId } : { patientId }, {
            onSuccess: (visit) => {
              const state: VisitPageState = { patientLink: visit.patientLink, join: true };
              void navigate(`/visits/${visit.id}`, { state });
            },
          })
        }
      >
        {create.isPending ? 'Starting…' : 'Start video visit'}
      </button>
      {error instanceof ApiError && isVideoNotConfigured(error.status, error.body) ? (
        <VideoNotConfigured />
      ) : error ? (
        <p role="alert" className="error">
          Could not start the visit:{' '}
          {error instanceof ApiError && error.status === 403 ? 'your role does not allow it.' : error.message}
        </p>
      ) : null}
    </div>
  );
}
