import { Link } from 'react-router';
import { formatDateTime } from '../lib/format';
import { formatDuration, isOpenVisit, visitStatusLabel } from './visit-labels';
import type { Visit } from './visit-types';

/** When a visit is (or was) for: its schedule, else its start, else its creation. */
function visitTime(visit: Visit): string {
  return visit.scheduledFor ?? visit.startedAt ?? visit.createdAt;
}

/** Visits as a table, newest first: when, status, how long, notes, and a link to each. */
export function VisitTable({ visits, caption }: { visits: readonly Visit[]; caption: string }) {
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
              <span className={`badge visit-status visit-status-${visit.status}`}>
                {visitStatusLabel(visit.status)}
              </span>
            </td>
            <td>{isOpenVisit(visit.status) ? '—' : formatDuration(visit.durationSeconds)}</td>
            <td>
              {visit.notes?.length ? (
                <ul className="visit-notes-inline">
                  {visit.notes.map((note, index) => (
                    <li key={note.id ?? index}>{note.text}</li>
                  ))}
                </ul>
              ) : visit.hasNotes ? (
                <Link to={`/visits/${visit.id}`}>Read the notes</Link>
              ) : (
                <span className="muted">None</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Open (scheduled, waiting, in progress) visits apart from past ones. */
export function splitVisits(visits: readonly Visit[]): { upcoming: Visit[]; past: Visit[] } {
  return {
    upcoming: visits.filter((visit) => isOpenVisit(visit.status)),
    past: visits.filter((visit) => !isOpenVisit(visit.status)),
  };
}
