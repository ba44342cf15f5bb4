import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { scheduledForFromLocal } from './visit-labels';
import { useCanStartVisit, type VisitPageState } from './start-visit-button';
import { useCreateVisit } from './visit-api';

/**
 * Books a visit for later: the patient's link is valid from creation until VISIT_LINK_TTL_MINUTES
 * after the chosen time, so it can be sent now. Opens the visit's page (without joining) to copy it.
 */
export function ScheduleVisitForm({ patientId }: { patientId: string }) {
  const canSchedule = useCanStartVisit();
  const create = useCreateVisit();
  const navigate = useNavigate();
  const [when, setWhen] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!canSchedule) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const scheduledFor = scheduledForFromLocal(when, new Date());
    if (typeof scheduledFor !== 'string') return setProblem(scheduledFor.problem);
    setProblem(null);
    create.mutate(
      { patientId, scheduledFor },
      {
        onSuccess: (visit) => {
          const state: VisitPageState = { patientLink: visit.patientLink, join: false };
          void navigate(`/visits/${visit.id}`, { state });
        },
      },
    );
  };

  const failure =
    problem ?? (create.error instanceof ApiError ? create.error.message : create.error?.message);
  return (
    <form className="schedule-visit" aria-label="Schedule a video visit" onSubmit={submit} noValidate>
      <label>
        Date and time
        <input
          type="datetime-local"
          value={when}
          onChange={(event) => setWhen(event.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Scheduling…' : 'Schedule'}
      </button>
      {failure ? (
        <p role="alert" className="error">
          Could not schedule the visit: {failure}
        </p>
      ) : null}
    </form>
  );
}
