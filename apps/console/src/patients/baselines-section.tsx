import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { formatValue } from './format';
import { Moment } from './moment';

/**
 * The patient's dry weight, which the heart-failure dry-weight rule compares each weighing
 * with. Only clinicians set it: it is a clinical decision (the API refuses other roles too).
 */
export function BaselinesSection({
  patientId,
  patientTimeZone,
}: {
  patientId: string;
  patientTimeZone: string | null;
}) {
  const { user } = useSession();
  const baselines = useQuery({
    queryKey: ['patient', patientId, 'baselines'],
    queryFn: () =>
      unwrap(api.GET('/api/patients/{patientId}/baselines', { params: { path: { patientId } } })),
  });
  const current = baselines.data;
  return (
    <section aria-labelledby="baselines-title" className="panel">
      <h2 id="baselines-title">Baselines</h2>
      {baselines.isError ? (
        <p role="alert" className="error">
          Could not load the dry weight: {baselines.error.message}
        </p>
      ) : !current ? (
        <p role="status">Loading the dry weight…</p>
      ) : current.dryWeightKg !== null && current.createdAt ? (
        <p>
          Dry weight {formatValue(current.dryWeightKg, 'kg')}, set by {current.setByName ?? 'unknown'} on{' '}
          <Moment iso={current.createdAt} patientTimeZone={patientTimeZone} />
          {current.note ? <span className="muted"> · {current.note}</span> : null}
        </p>
      ) : (
        <p className="muted">No dry weight set: weighings are not compared with one.</p>
      )}
      {user.role === 'clinician' ? (
        <DryWeightForm patientId={patientId} current={current?.dryWeightKg ?? null} />
      ) : null}
    </section>
  );
}

function DryWeightForm({ patientId, current }: { patientId: string; current: number | null }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [kg, setKg] = useState('');
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/patients/{patientId}/baselines', {
          params: { path: { patientId } },
          body: { dryWeightKg: Number(kg), note: note.trim() || undefined },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['patient', patientId, 'baselines'], saved);
      setKg('');
      setNote('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form aria-label="Set the dry weight" onSubmit={submit}>
      <div className="form-grid">
        <label htmlFor={`${id}-kg`}>Dry weight (kg)</label>
        <input
          id={`${id}-kg`}
          type="number"
          inputMode="decimal"
          required
          min={0.5}
          max={500}
          step={0.01}
          placeholder={current === null ? undefined : String(current)}
          value={kg}
          onChange={(event) => setKg(event.target.value)}
        />
        <label htmlFor={`${id}-note`}>Note</label>
        <input
          id={`${id}-note`}
          maxLength={500}
          value={note}
          autoComplete="off"
          onChange={(event) => setNote(event.target.value)}
        />
      </div>
      {save.isError ? (
        <p role="alert" className="error">
          Could not save the dry weight: {save.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
