import { StartVisitButton } from './start-visit-button';
import { useVideoConfig, useVisits } from './visit-api';
import { VisitTable } from './visit-list';
import './visits.css';

/** In an alert's details: start a video visit about it, and the visits it already had. */
export function AlertVisits({ alertId, patientId }: { alertId: string; patientId: string }) {
  const config = useVideoConfig();
  const configured = config.data?.configured === true;
  const visits = useVisits({ alertId }, configured);
  if (config.data && !configured)
    return (
      <section aria-label="Video visits" className="alert-visits">
        <h3>Video visits</h3>
        <p className="muted">Video visits are not configured on this server (docs/telehealth.md says how).</p>
      </section>
    );
  return (
    <section aria-label="Video visits" className="alert-visits">
      <h3>Video visits</h3>
      <StartVisitButton patientId={patientId} alertId={alertId} />
      {visits.isError || config.isError ? (
        <p className="muted">Could not load the visits.</p>
      ) : !visits.data ? (
        <p className="muted">Loading visits…</p>
      ) : visits.data.items.length === 0 ? (
        <p className="muted">No visit about this alert yet.</p>
      ) : (
        <VisitTable visits={visits.data.items} caption="Video visits about this alert" />
      )}
    </section>
  );
}
