import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { formatAge } from '../lib/format';
import { useNow } from '../lib/use-now';
import { api, unwrap, type Schemas } from '../api/client';
import { useSession } from '../auth/session';
import {
  formatBirthDate,
  formatMeasurement,
  measurementName,
  PROTOCOL_NAMES,
  SEVERITY_NAMES,
} from './format';
import { Moment } from './moment';
import { RegisterPatientForm } from './register-patient-form';
import { useCanRegister } from './use-can-register';
import './patients.css';

type Sort = 'name' | 'lastReading' | 'openAlerts' | 'adherence';
type Order = 'asc' | 'desc';
type WorklistItem = Schemas['WorklistItemDto'];

const PAGE_SIZE = 50;

/** The order a first click on a column asks for: what needs attention first. */
const FIRST_ORDER: Readonly<Record<Sort, Order>> = {
  name: 'asc',
  lastReading: 'asc',
  openAlerts: 'desc',
  adherence: 'asc',
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The patients in no care team: nobody but administrators sees them until one assigns them
 * (on the patient's page).
 */
function UnassignedPatients() {
  const unassigned = useQuery({
    queryKey: ['patients', 'unassigned'],
    queryFn: () => unwrap(api.GET('/api/patients', { params: { query: { unassigned: true, limit: 500 } } })),
  });
  const items = unassigned.data?.items ?? [];
  return (
    <section aria-labelledby="unassigned-title" className="panel">
      <h2 id="unassigned-title">Unassigned patients</h2>
      <p className="muted">In no care team: only administrators see them. Open one to assign it.</p>
      {unassigned.isError ? (
        <p role="alert" className="error">
          Could not load the unassigned patients: {unassigned.error.message}
        </p>
      ) : unassigned.isPending ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p role="status">Every patient is in a care team.</p>
      ) : (
        <ul aria-label="Unassigned patients">
          {items.map((patient) => (
            <li key={patient.id}>
              <Link to={`/patients/${patient.id}`}>
                {patient.familyName}, {patient.givenName}
              </Link>{' '}
              <span className="muted">born {formatBirthDate(patient.birthDate)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The patients list: searched by name, sortable by each figure, paged. */
export function PatientsPage() {
  const { user } = useSession();
  const [showUnassigned, setShowUnassigned] = useState(false);
  const unassignedId = useId();
  const canRegister = useCanRegister();
  const now = useNow();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const [order, setOrder] = useState<Order>('asc');
  const [offset, setOffset] = useState(0);
  const [registering, setRegistering] = useState(false);
  const term = useDebounced(search.trim(), 250);

  const worklist = useQuery({
    queryKey: ['worklist', { term, sort, order, offset }],
    queryFn: () =>
      unwrap(
        api.GET('/api/worklist', {
          params: { query: { search: term || undefined, sort, order, limit: PAGE_SIZE, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
    // New readings and alerts change the figures: re-read while the list stays open.
    refetchInterval: 60_000,
  });

  const sortBy = (column: Sort) => {
    setOffset(0);
    if (column === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setOrder(FIRST_ORDER[column]);
    }
  };

  const header = (column: Sort, label: string) => (
    <th scope="col" aria-sort={sort === column ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => sortBy(column)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {sort === column ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </button>
    </th>
  );

  const total = worklist.data?.total ?? 0;
  const items = worklist.data?.items ?? [];

  return (
    <section aria-labelledby="patients-title" className="patients">
      <div className="page-heading">
        <h1 id="patients-title">Patients</h1>
        {canRegister && !registering ? (
          <button type="button" className="primary" onClick={() => setRegistering(true)}>
            Register patient
          </button>
        ) : null}
      </div>
      {canRegister && registering ? <RegisterPatientForm onCancel={() => setRegistering(false)} /> : null}
      {user.role === 'admin' ? (
        <p>
          <input
            type="checkbox"
            id={unassignedId}
            checked={showUnassigned}
            onChange={(event) => setShowUnassigned(event.target.checked)}
          />{' '}
          <label htmlFor={unassignedId}>Show the patients in no care team</label>
        </p>
      ) : null}
      {showUnassigned ? <UnassignedPatients /> : null}
      <div className="toolbar">
        <label htmlFor={searchId}>Search patients by name</label>
        <input
          id={searchId}
          type="search"
          value={search}
          maxLength={100}
          autoComplete="off"
          onChange={(event) => {
            setSearch(event.target.value);
            setOffset(0);
          }}
        />
        <p className="result-count" role="status" aria-live="polite">
          {worklist.isPending
            ? 'Loading patients…'
            : total === 0
              ? 'No patients match'
              : `${offset + 1}–${offset + items.length} of ${total} patients`}
        </p>
      </div>
      {worklist.isError ? (
        <p role="alert" className="error">
          Could not load the patients: {worklist.error.message}
        </p>
      ) : null}
      <table className="data-table worklist" aria-busy={worklist.isFetching}>
        <caption className="visually-hidden">
          Patients with their last reading, open alerts, protocols and adherence
        </caption>
        <thead>
          <tr>
            {header('name', 'Patient')}
            <th scope="col">Born</th>
            {header('lastReading', 'Last reading')}
            {header('openAlerts', 'Open alerts')}
            <th scope="col">Protocols</th>
            {header('adherence', 'Adherence (30 days)')}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <WorklistRow key={item.id} item={item} now={now} />
          ))}
        </tbody>
      </table>
      {total > PAGE_SIZE ? (
        <nav aria-label="Pages of patients" className="pager">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Previous page
          </button>
          <button
            type="button"
            disabled={offset + PAGE_SIZE >= total}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </section>
  );
}

function WorklistRow({ item, now }: { item: WorklistItem; now: number }) {
  const { lastReading, openAlerts, adherence } = item;
  return (
    <tr>
      <th scope="row">
        <Link to={`/patients/${item.id}`}>
          {item.familyName}, {item.givenName}
        </Link>
      </th>
      <td>{formatBirthDate(item.birthDate)}</td>
      <td>
        {lastReading ? (
          <>
            <span className="reading-value">{formatMeasurement(lastReading)}</span>{' '}
            <span className="muted">{measurementName(lastReading)}</span>
            <br />
            <span className="muted">
              <Moment iso={lastReading.measuredAt} patientTimeZone={item.timeZone} /> ·{' '}
              {formatAge(lastReading.measuredAt, now)}
            </span>
          </>
        ) : (
          <span className="muted">Never measured</span>
        )}
      </td>
      <td>
        {openAlerts.count === 0 ? (
          <span className="muted">None</span>
        ) : (
          <>
            {openAlerts.count}{' '}
            {openAlerts.worstSeverity ? (
              <span className={`badge badge-${openAlerts.worstSeverity}`}>
                worst: {SEVERITY_NAMES[openAlerts.worstSeverity]}
              </span>
            ) : null}
          </>
        )}
      </td>
      <td>
        {item.protocols.length ? (
          item.protocols.map((key) => PROTOCOL_NAMES[key] ?? key).join(', ')
        ) : (
          <span className="muted">Default thresholds</span>
        )}
      </td>
      <td>
        {/* Below 16 days a month is low: the days of data RPM programmes are billed on. */}
        <meter
          min={0}
          max={adherence.windowDays}
          low={16}
          optimum={adherence.windowDays}
          value={adherence.days}
          aria-label={`Adherence of ${item.givenName} ${item.familyName}`}
        />{' '}
        {adherence.days} of {adherence.windowDays} days
      </td>
    </tr>
  );
}
