import { ScheduleVisitForm } from './schedule-visit-form';
import { StartVisitButton } from './start-visit-button';
import { useVideoConfig, useVisits } from './visit-api';
import { VideoNotConfigured } from './video-not-configured';
import { splitVisits, VisitTable } from './visit-list';
import './visits.css';

/** On the patient view: start a visit, the open ones, and the past ones with durations and notes. */
export function PatientVisits({ patientId }: { patientId: string }) {
  const config = useVideoConfig();
  const configured = config.data?.configured === true;
  const visits = useVisits({ patientId }, configured);
  const { upcoming, past } = splitVisits(visits.data?.items ?? []);
  if (config.data && !configured)
    return (
      <section aria-labelledby="visits-title" className="panel">
        <h2 id="visits-title">Video visits</h2>
        <VideoNotConfigured />
      </section>
    );
  return (
    <section aria-labelledby="visits-title" className="panel">
      <div className="page-heading">
        <h2 id="visits-title">Video visits</h2>
        <StartVisitButton patientId={patientId} />
      </div>
      <ScheduleVisitForm patientId={patientId} />
      {visits.isError || config.isError ? (
        <p role="alert" className="error">
          Could not load the visits: {(visits.error ?? config.error)?.message}
        </p>
      ) : !visits.data ? (
        <p role="status">Loading the visits…</p>
      ) : visits.data.items.length === 0 ? (
        <p>No video visits yet.</p>
      ) : (
        <>
          <h3>Scheduled and ongoing</h3>
          {upcoming.length ? (
            <VisitTable visits={upcoming} caption="Scheduled and ongoing video visits" />
          ) : (
            <p className="muted">None.</p>
          )}
          <h3>Past</h3>
          {past.length ? (
            <VisitTable visits={past} caption="Past video visits" />
          ) : (
            <p className="muted">None.</p>
          )}
        </>
      )}
    </section>
  );
}
