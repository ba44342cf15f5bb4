import { Link } from 'react-router';
import { formatDateTime } from '../lib/format';
import { useVisit } from './visit-api';
import { formatDuration, isOpenVisit, visitStatusLabel } from './visit-labels';
import type { VisitSummary } from './visit-types';

/** When a visit is (or was) for: its schedule, else its start, else its creation. */
function visitTime(visit: VisitSummary): string {
  return visit.scheduledFor ?? visit.startedAt ?? visit.createdAt;
}

/** A visit's notes, read from its details (lists say only whether there are any). */
function VisitNotesCell({ visit }: { visit: VisitSummary }) {
  const detail = useVisit(visit.id, visit.hasNotes);
  if (!visit.hasNotes) return <span className="muted">None</span>;
  if (detail.isError) return <span className="muted">Could not load the notes</span>;
  if (!detail.data) return <span className="muted">Loading…</span>;
  return <p className="visit-notes-text">{detail.data.notes}</p>;
}

/** Visits as a table, newest first: when, status, how long, notes, and a link to each. */
export function VisitTable({ visits, caption }: { visits: readonly VisitSummary[]; caption: string }) {
  const sorted = [...visits].sort((a, b) => Date.parse(visitTime(b)) - Date.parse(visitTime(a)));
  return (
    <table className="data-table visit-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((visit) => (
          <tr key={visit.id} data-visit-status={visit.status}>
            <td>
              <Link to={`/visits/${visit.id}`}>
                <time dateTime={visitTime(visit)}>{formatDateTime(visitTime(visit))}</time>
              </Link>
              {visit.scheduledFor && visit.status === 'scheduled' ? (
                <span className="muted"> (scheduled)</span>
              ) : null}
            </td>
            <td>
              <span className={`visit-status visit-status-${visit.status}`}>
                {visitStatusLabel(visit.status)}
              </span>
            </td>
            <td>{isOpenVisit(visit.status) ? '—' : formatDuration(visit.durationSeconds)}</td>
            <td>
              <VisitNotesCell visit={visit} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Open (scheduled, waiting, in progress) visits apart from past ones. */
export function splitVisits(visits: readonly VisitSummary[]): {
  upcoming: VisitSummary[];
  past: VisitSummary[];
} {
  return {
    upcoming: visits.filter((visit) => isOpenVisit(visit.status)),
    past: visits.filter((visit) => !isOpenVisit(visit.status)),
  };
}
