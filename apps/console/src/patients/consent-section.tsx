import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { useSession } from '../auth/session';
import { Moment } from './moment';

type Consent = components['schemas']['ConsentResponseDto'];
type Scope = Consent['scope'];
type Method = components['schemas']['ConsentCreateDto']['method'];

const SCOPE_NAMES: Record<Scope, string> = {
  rpm_monitoring: 'Remote monitoring',
  video_visits: 'Video visits',
  share_with_caregiver: 'Share with caregiver',
  data_sharing_research: 'Research data sharing',
};
const METHODS: Method[] = ['verbal', 'written', 'electronic'];

/**
 * The patient's consents: without an active remote-monitoring consent their readings are
 * rejected, without a video-visits consent no visit starts. Clinicians and coordinators record
 * and revoke (the API refuses other roles too).
 */
export function ConsentSection({
  patientId,
  patientTimeZone,
}: {
  patientId: string;
  patientTimeZone: string | null;
}) {
  const { user } = useSession();
  const canChange = user.role === 'clinician' || user.role === 'coordinator';
  const consents = useQuery({
    queryKey: ['patient', patientId, 'consents'],
    queryFn: () => unwrap(api.GET('/api/patients/{patientId}/consents', { params: { path: { patientId } } })),
  });
  const items = consents.data?.items;
  const monitored = items?.some((c) => c.scope === 'rpm_monitoring' && c.status === 'active');
  return (
    <section aria-labelledby="consent-title" className="panel">
      <h2 id="consent-title">Consent</h2>
      {consents.isError ? (
        <p role="alert" className="error">
          Could not load the consents: {consents.error.message}
        </p>
      ) : !items ? (
        <p role="status">Loading the consents…</p>
      ) : (
        <>
          {monitored ? null : (
            <p className="error">
              No active consent to remote monitoring: this patient&apos;s readings are rejected.
            </p>
          )}
          {items.length === 0 ? (
            <p className="muted">No consent recorded.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Scope</th>
                  <th scope="col">Status</th>
                  <th scope="col">Given</th>
                  <th scope="col">How</th>
                  {canChange ? <th scope="col">Revoke</th> : null}
                </tr>
              </thead>
              <tbody>
                {items.map((consent) => (
                  <tr key={consent.id}>
                    <td>{SCOPE_NAMES[consent.scope]}</td>
                    <td>
                      {consent.status === 'active' ? 'Active' : 'Revoked'}
                      {consent.revokeReason ? <span className="muted"> · {consent.revokeReason}</span> : null}
                    </td>
                    <td>
                      <Moment iso={consent.givenAt} patientTimeZone={patientTimeZone} />
                    </td>
                    <td>
                      {consent.method}
                      {consent.documentReference ? (
                        <span className="muted"> · {consent.documentReference}</span>
                      ) : null}
                    </td>
                    {canChange ? (
                      <td>
                        {consent.status === 'active' ? (
                          <RevokeConsent patientId={patientId} consent={consent} />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {canChange ? <RecordConsentForm patientId={patientId} /> : null}
    </section>
  );
}

function RecordConsentForm({ patientId }: { patientId: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<Scope>('rpm_monitoring');
  const [method, setMethod] = useState<Method>('verbal');
  const [givenOn, setGivenOn] = useState('');
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/patients/{patientId}/consents', {
          params: { path: { patientId } },
          body: {
            scope,
            method,
            givenAt: givenOn ? new Date(`${givenOn}T12:00:00`).toISOString() : undefined,
          },
        }),
      ),
    onSuccess: async () => {
      setGivenOn('');
      await queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'consents'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <form aria-label="Record a consent" onSubmit={submit}>
      <div className="form-grid">
        <label htmlFor={`${id}-scope`}>Consent to</label>
        <select id={`${id}-scope`} value={scope} onChange={(event) => setScope(event.target.value as Scope)}>
          {(Object.keys(SCOPE_NAMES) as Scope[]).map((value) => (
            <option key={value} value={value}>
              {SCOPE_NAMES[value]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-method`}>Given</label>
        <select
          id={`${id}-method`}
          value={method}
          onChange={(event) => setMethod(event.target.value as Method)}
        >
          {METHODS.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-date`}>On (today when empty)</label>
        <input
          id={`${id}-date`}
          type="date"
          value={givenOn}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(event) => setGivenOn(event.target.value)}
        />
      </div>
      {record.isError ? (
        <p role="alert" className="error">
          Could not record the consent: {record.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record consent'}
        </button>
      </div>
    </form>
  );
}

function RevokeConsent({ patientId, consent }: { patientId: string; consent: Consent }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/patients/{patientId}/consents/{consentId}/revoke', {
          params: { path: { patientId, consentId: consent.id } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'consents'] });
    },
  });
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Revoke…
      </button>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    revoke.mutate();
  };
  return (
    <form aria-label={`Revoke the ${SCOPE_NAMES[consent.scope]} consent`} onSubmit={submit}>
      <label htmlFor={`${id}-reason`}>Reason</label>{' '}
      <input
        id={`${id}-reason`}
        required
        maxLength={1000}
        value={reason}
        autoComplete="off"
        onChange={(event) => setReason(event.target.value)}
      />{' '}
      <button type="submit" disabled={revoke.isPending}>
        {revoke.isPending ? 'Revoking…' : 'Revoke'}
      </button>{' '}
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {revoke.isError ? (
        <p role="alert" className="error">
          Could not revoke: {revoke.error.message}
        </p>
      ) : null}
    </form>
  );
}
