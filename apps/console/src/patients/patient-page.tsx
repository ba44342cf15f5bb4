import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { VITAL_TYPES, type Severity } from '@homeward/contracts';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { BaselinesSection } from './baselines-section';
import { CareTeamsSection } from '../care-teams/care-teams-section';
import { ConsentSection } from './consent-section';
import { ContactForm } from './contact-form';
import { DevicesSection } from './devices-section';
import {
  formatBirthDate,
  formatMoment,
  formatValue,
  PROTOCOL_NAMES,
  SEVERITY_NAMES,
  STATUS_NAMES,
  USER_TIME_ZONE,
  vitalName,
} from './format';
import { Moment } from './moment';
import { useCanRegister } from './use-can-register';
import { thresholdsByType } from './thresholds';
import { PatientVisits } from '../visits/patient-visits';
import type { ChartPoint } from './vital-chart';
import './patients.css';

// The charting library is most of the bundle: the queue (the first load on call) goes without it.
const VitalChart = lazy(() => import('./vital-chart').then((module) => ({ default: module.VitalChart })));

const HOUR_MS = 3600_000;
const RANGES = [
  { key: '24h', label: '24 h', ms: 24 * HOUR_MS },
  { key: '7d', label: '7 days', ms: 7 * 24 * HOUR_MS },
  { key: '30d', label: '30 days', ms: 30 * 24 * HOUR_MS },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];
const WIDEST = RANGES[RANGES.length - 1].ms;
/** Readings shown in the table at most; the charts draw them all. */
const TABLE_ROWS = 200;
/** The most readings the vitals route answers at once (30 days of a device every 10 minutes). */
const READINGS_LIMIT = 5000;
const ALERTS_LIMIT = 100;
const REFRESH_MS = 60_000;

type Vital = Schemas['VitalDto'];
type Patient = Schemas['PatientResponseDto'];
const SEVERITY_ORDER: Readonly<Record<string, number>> = { info: 0, warning: 1, critical: 2 };

const readingKey = (r: { deviceId: string; messageId: string; type: string; measuredAt: string }) =>
  `${r.deviceId}|${r.messageId}|${r.type}|${new Date(r.measuredAt).getTime()}`;

/** One patient: who they are, their devices, rules, trends, readings and alerts. */
export function PatientPage() {
  const { patientId = '' } = useParams();
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => unwrap(api.GET('/api/patients/{patientId}', { params: { path: { patientId } } })),
  });
  if (patient.isError)
    return (
      <section>
        <h1>Patient not found</h1>
        <p role="alert">
          {patient.error instanceof ApiError && patient.error.status === 404
            ? 'No such patient among those you may see: the patients of your care teams (administrators: of your organisation).'
            : `Could not load the patient: ${patient.error.message}`}
        </p>
        <p>
          <Link to="/patients">Back to the patients</Link>
        </p>
      </section>
    );
  if (!patient.data)
    return (
      <section>
        <p role="status">Loading the patient…</p>
      </section>
    );
  return <PatientView patient={patient.data} patientLoadedAt={patient.dataUpdatedAt} />;
}

function PatientView({ patient, patientLoadedAt }: { patient: Patient; patientLoadedAt: number }) {
  const canRegister = useCanRegister();
  const patientId = patient.id;
  const [range, setRange] = useState<RangeKey>('7d');
  // The widest window is read at once, and again every minute; the toggle narrows it locally.
  const vitals = useQuery({
    queryKey: ['patient', patientId, 'vitals'],
    queryFn: async () => {
      const to = Date.now();
      const from = new Date(to - WIDEST).toISOString();
      const page = await unwrap(
        api.GET('/api/patients/{patientId}/vitals', {
          params: {
            path: { patientId },
            query: { from, to: new Date(to).toISOString(), limit: READINGS_LIMIT },
          },
        }),
      );
      return { ...page, until: to };
    },
    refetchInterval: REFRESH_MS,
  });
  const marks = useQuery({
    queryKey: ['patient', patientId, 'alert-readings'],
    queryFn: () =>
      unwrap(
        api.GET('/api/patients/{patientId}/alert-readings', {
          params: { path: { patientId }, query: { from: new Date(Date.now() - WIDEST).toISOString() } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  const rules = useQuery({
    queryKey: ['patient', patientId, 'rules'],
    queryFn: () => unwrap(api.GET('/api/patients/{patientId}/rules', { params: { path: { patientId } } })),
  });
  const alerts = useQuery({
    queryKey: ['patient', patientId, 'alerts'],
    queryFn: () =>
      unwrap(
        api.GET('/api/alerts', {
          params: { query: { patientId, includeSnoozed: 'true', limit: ALERTS_LIMIT } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  // The charts end when the readings were read: the newest reading sits at the right edge.
  const until = vitals.data?.until ?? patientLoadedAt;

  const rangeMs = RANGES.find((option) => option.key === range)?.ms ?? WIDEST;
  const from = until - rangeMs;
  const alertingBy = useMemo(() => {
    const worst = new Map<string, Severity>();
    for (const mark of marks.data?.items ?? []) {
      const key = readingKey(mark);
      const known = worst.get(key);
      if (!known || SEVERITY_ORDER[mark.severity] > SEVERITY_ORDER[known]) worst.set(key, mark.severity);
    }
    return worst;
  }, [marks.data]);
  const inRange = useMemo(
    () => (vitals.data?.items ?? []).filter((reading) => new Date(reading.measuredAt).getTime() >= from),
    [vitals.data, from],
  );
  // A chart for each vital the patient measured in the last 30 days, in catalogue order.
  const types = useMemo(() => {
    const measured = new Set((vitals.data?.items ?? []).map((reading) => reading.type));
    return VITAL_TYPES.filter((type) => measured.has(type));
  }, [vitals.data]);
  const thresholds = useMemo(() => thresholdsByType(rules.data?.items ?? []), [rules.data]);
  const pointsOf = (type: string): ChartPoint[] =>
    inRange
      .filter((reading) => reading.type === type)
      .map((reading) => ({
        t: new Date(reading.measuredAt).getTime(),
        value: reading.value,
        unit: reading.unit,
        alert: alertingBy.get(readingKey(reading)) ?? null,
      }))
      .sort((a, b) => a.t - b.t);

  const now = formatMoment(new Date(until).toISOString(), patient.timeZone);
  return (
    <div className="patient-view">
      <p className="breadcrumb">
        <Link to="/patients">Patients</Link> › {patient.familyName}, {patient.givenName}
      </p>
      <section aria-labelledby="patient-title" className="panel demographics">
        <h1 id="patient-title">
          {patient.givenName} {patient.familyName}
        </h1>
        <dl className="facts">
          <dt>Born</dt>
          <dd>{formatBirthDate(patient.birthDate)}</dd>
          <dt>Time zone</dt>
          <dd>
            {patient.timeZone ?? 'Not known (UTC)'}
            {now.patient ? <span className="muted"> · local time now {now.patient}</span> : null}
          </dd>
          <dt>Your time zone</dt>
          <dd>{USER_TIME_ZONE}</dd>
          <dt>Registered</dt>
          <dd>
            <Moment iso={patient.createdAt} patientTimeZone={patient.timeZone} />
          </dd>
        </dl>
        <ContactForm key={patient.id} patient={patient} />
      </section>

      <PatientVisits patientId={patientId} />

      <div className="two-columns">
        <DevicesSection patientId={patientId} patientTimeZone={patient.timeZone} canRegister={canRegister} />
        <section aria-labelledby="rules-title" className="panel">
          <h2 id="rules-title">Protocols and rules</h2>
          {rules.isError ? (
            <p role="alert" className="error">
              Could not load the rules: {rules.error.message}
            </p>
          ) : rules.data ? (
            <>
              <p>
                Protocols:{' '}
                {rules.data.protocols.length
                  ? rules.data.protocols.map((key) => PROTOCOL_NAMES[key] ?? key).join(', ')
                  : 'none (the default thresholds apply)'}
              </p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">Severity</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {rules.data.items.map((rule) => (
                    <tr key={rule.id}>
                      <td>
                        {rule.description}
                        {rule.override ? (
                          <span className="badge"> patient override v{rule.version}</span>
                        ) : null}
                      </td>
                      <td>{severityOfRule(rule.definition)}</td>
                      <td>{rule.protocol ? (PROTOCOL_NAMES[rule.protocol] ?? rule.protocol) : 'Defaults'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p role="status">Loading the rules…</p>
          )}
        </section>
      </div>

      <BaselinesSection patientId={patientId} patientTimeZone={patient.timeZone} />

      <ConsentSection patientId={patientId} patientTimeZone={patient.timeZone} />

      <CareTeamsSection patientId={patientId} careTeamIds={patient.careTeamIds} />

      <section aria-labelledby="trends-title" className="panel">
        <div className="page-heading">
          <h2 id="trends-title">Trends</h2>
          <div role="group" aria-label="Period shown" className="segmented">
            {RANGES.map((option) => (
              <button
                key={option.key}
                type="button"
                aria-pressed={range === option.key}
                onClick={() => setRange(option.key)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
        <p className="muted">
          Dashed lines: the patient&apos;s thresholds. Triangles: readings that raised or fed an alert.
        </p>
        {vitals.isError ? (
          <p role="alert" className="error">
            Could not load the readings: {vitals.error.message}
          </p>
        ) : !vitals.data ? (
          <p role="status">Loading the readings…</p>
        ) : types.length === 0 ? (
          <p>No readings in the last 30 days.</p>
        ) : (
          <Suspense fallback={<p role="status">Loading the charts…</p>}>
            <div className="charts">
              {vitals.data.items.length >= READINGS_LIMIT ? (
                <p className="notice charts-notice">
                  Showing the newest {READINGS_LIMIT} readings of the last 30 days; older ones are left out.
                </p>
              ) : null}
              {types.map((type) => (
                <VitalChart
                  key={type}
                  type={type}
                  points={pointsOf(type)}
                  thresholds={thresholds.get(type) ?? []}
                  from={from}
                  to={until}
                  patientTimeZone={patient.timeZone}
                />
              ))}
            </div>
          </Suspense>
        )}
      </section>

      <section aria-labelledby="readings-title" className="panel">
        <h2 id="readings-title">Readings</h2>
        <ReadingsTable
          readings={inRange}
          alertingBy={alertingBy}
          patientTimeZone={patient.timeZone}
          rangeLabel={RANGES.find((option) => option.key === range)?.label ?? ''}
        />
      </section>

      <section aria-labelledby="history-title" className="panel">
        <h2 id="history-title">Alert history</h2>
        {alerts.isError ? (
          <p role="alert" className="error">
            Could not load the alerts: {alerts.error.message}
          </p>
        ) : !alerts.data ? (
          <p role="status">Loading the alerts…</p>
        ) : alerts.data.items.length === 0 ? (
          <p>No alerts.</p>
        ) : (
          <>
            {alerts.data.items.length >= ALERTS_LIMIT ? (
              <p className="muted">The newest {ALERTS_LIMIT} alerts.</p>
            ) : null}
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Raised</th>
                  <th scope="col">What fired</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Latest value</th>
                  <th scope="col">Breaches</th>
                </tr>
              </thead>
              <tbody>
                {alerts.data.items.map((alert) => (
                  <tr key={alert.id}>
                    <td>
                      <Moment iso={alert.createdAt} patientTimeZone={patient.timeZone} />
                    </td>
                    <td>
                      {alert.summary}
                      <br />
                      <span className="muted">{alert.rule.description}</span>
                    </td>
                    <td>
                      <span className={`badge badge-${alert.severity}`}>
                        {SEVERITY_NAMES[alert.severity]}
                      </span>
                    </td>
                    <td>{STATUS_NAMES[alert.status] ?? alert.status}</td>
                    <td>
                      {alert.lastValue !== null && alert.trigger ? (
                        formatValue(alert.lastValue, alert.trigger.unit)
                      ) : (
                        <span className="muted">Missed reading</span>
                      )}
                    </td>
                    <td>{alert.occurrences}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}

function severityOfRule(definition: unknown): string {
  const severity =
    definition !== null && typeof definition === 'object'
      ? (definition as { severity?: unknown }).severity
      : undefined;
  return typeof severity === 'string' ? (SEVERITY_NAMES[severity] ?? severity) : '';
}

function ReadingsTable({
  readings,
  alertingBy,
  patientTimeZone,
  rangeLabel,
}: {
  readings: Vital[];
  alertingBy: Map<string, Severity>;
  patientTimeZone: string | null;
  rangeLabel: string;
}) {
  if (readings.length === 0) return <p>No readings in the last {rangeLabel}.</p>;
  const shown = readings.slice(0, TABLE_ROWS);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Readings, newest first">
      <table className="data-table">
        <caption className="visually-hidden">Readings of the last {rangeLabel}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Measured</th>
            <th scope="col">Vital</th>
            <th scope="col">Value</th>
            <th scope="col">As sent</th>
            <th scope="col">Device</th>
            <th scope="col">Alert</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((reading) => {
            const alert = alertingBy.get(readingKey(reading));
            return (
              <tr key={readingKey(reading)}>
                <td>
                  <Moment iso={reading.measuredAt} patientTimeZone={patientTimeZone} />
                </td>
                <td>{vitalName(reading.type)}</td>
                <td>{formatValue(reading.value, reading.unit)}</td>
                <td>{formatValue(reading.sourceValue, reading.sourceUnit)}</td>
                <td>
                  <code className="muted">{reading.deviceId.slice(0, 8)}</code>
                </td>
                <td>
                  {alert ? <span className={`badge badge-${alert}`}>{SEVERITY_NAMES[alert]}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {readings.length > shown.length ? (
        <p className="muted">
          The newest {shown.length} of {readings.length} readings; the charts show them all.
        </p>
      ) : null}
    </div>
  );
}
