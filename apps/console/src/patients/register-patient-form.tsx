import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { useCareTeams } from '../care-teams/care-team-queries';
import { USER_TIME_ZONE } from './format';

function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  // The browser's own zone may be an alias (UTC) its canonical list leaves out.
  return [...new Set([...(supported ? supported('timeZone') : []), USER_TIME_ZONE])].sort();
}

const TIME_ZONES = timeZones();

/** Coordinators and admins register a patient; the new patient's page opens. */
export function RegisterPatientForm({ onCancel }: { onCancel: () => void }) {
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [timeZone, setTimeZone] = useState(USER_TIME_ZONE);
  const [monitoringConsent, setMonitoringConsent] = useState<'' | 'verbal' | 'written' | 'electronic'>('');
  const { user } = useSession();
  const teams = useCareTeams();
  // Admins choose any team (none: unassigned); coordinators one of theirs (none: all of theirs).
  const choosable = (teams.data?.items ?? []).filter(
    (team) => user.role === 'admin' || team.members.some((member) => member.userId === user.id),
  );
  const [careTeamId, setCareTeamId] = useState('');
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/patients', {
          body: {
            givenName: givenName.trim(),
            familyName: familyName.trim(),
            birthDate,
            timeZone: timeZone || undefined,
            monitoringConsent: monitoringConsent || undefined,
            careTeamIds: careTeamId ? [careTeamId] : undefined,
          },
        }),
      ),
    onSuccess: async (patient) => {
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      await queryClient.invalidateQueries({ queryKey: ['care-teams'] });
      void navigate(`/patients/${patient.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <form className="panel register-form" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>Register a patient</h2>
      <div className="form-grid">
        <label htmlFor={`${id}-given`}>Given name</label>
        <input
          id={`${id}-given`}
          autoFocus
          required
          maxLength={100}
          value={givenName}
          autoComplete="off"
          onChange={(event) => setGivenName(event.target.value)}
        />
        <label htmlFor={`${id}-family`}>Family name</label>
        <input
          id={`${id}-family`}
          required
          maxLength={100}
          value={familyName}
          autoComplete="off"
          onChange={(event) => setFamilyName(event.target.value)}
        />
        <label htmlFor={`${id}-birth`}>Birth date</label>
        <input
          id={`${id}-birth`}
          type="date"
          required
          value={birthDate}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(event) => setBirthDate(event.target.value)}
        />
        <label htmlFor={`${id}-zone`}>Time zone</label>
        <select id={`${id}-zone`} value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
          <option value="">Not known (UTC)</option>
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-consent`}>Consent to monitoring recorded</label>
        <select
          id={`${id}-consent`}
          value={monitoringConsent}
          onChange={(event) => setMonitoringConsent(event.target.value as typeof monitoringConsent)}
        >
          <option value="">Not yet (readings are rejected until it is recorded)</option>
          <option value="verbal">Yes, verbal</option>
          <option value="written">Yes, written</option>
          <option value="electronic">Yes, electronic</option>
        </select>
        {choosable.length > 0 ? (
          <>
            <label htmlFor={`${id}-team`}>Care team</label>
            <select
              id={`${id}-team`}
              value={careTeamId}
              onChange={(event) => setCareTeamId(event.target.value)}
            >
              <option value="">
                {user.role === 'admin'
                  ? 'None yet (only administrators see the patient)'
                  : 'All my care teams'}
              </option>
              {choosable.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
      </div>
      {register.isError ? (
        <p role="alert" className="error">
          Could not register the patient: {register.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={register.isPending}>
          {register.isPending ? 'Registering…' : 'Register patient'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
