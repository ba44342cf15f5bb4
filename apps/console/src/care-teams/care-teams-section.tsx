import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { useCareTeams, useSetPatientTeams } from './care-team-queries';

function errorText(error: unknown): string {
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body) {
    if (error.body.code === 'not_care_team_member') return 'You may assign only to care teams you belong to.';
  }
  return error instanceof Error ? error.message : 'That did not work.';
}

/**
 * The patient's care teams, whose members see the patient. Admins assign any team; coordinators
 * their own (the others the patient is in stay); clinicians read.
 */
export function CareTeamsSection({ patientId, careTeamIds }: { patientId: string; careTeamIds: string[] }) {
  const id = useId();
  const { user } = useSession();
  const teams = useCareTeams();
  const save = useSetPatientTeams(patientId);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  const all = teams.data?.items ?? [];
  const current = all.filter((team) => careTeamIds.includes(team.id));
  const assignable =
    user.role === 'admin'
      ? all
      : user.role === 'coordinator'
        ? all.filter((team) => team.members.some((member) => member.userId === user.id))
        : [];
  const selected = chosen ?? careTeamIds.filter((teamId) => assignable.some((team) => team.id === teamId));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(selected, {
      onSuccess: () => {
        setChosen(null);
        setSaved(true);
      },
    });
  };
  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>Care teams</h2>
      {teams.isError ? (
        <p role="alert" className="error">
          Could not load the care teams: {teams.error.message}
        </p>
      ) : current.length === 0 ? (
        <p>In no care team: only administrators see this patient.</p>
      ) : (
        <p>In {current.map((team) => team.name).join(', ')}.</p>
      )}
      {assignable.length > 0 ? (
        <form onSubmit={submit}>
          <fieldset>
            <legend>{user.role === 'admin' ? 'Assign to care teams' : 'Assign to your care teams'}</legend>
            {assignable.map((team) => (
              <div key={team.id}>
                <input
                  type="checkbox"
                  id={`${id}-${team.id}`}
                  checked={selected.includes(team.id)}
                  onChange={(event) => {
                    setSaved(false);
                    setChosen(
                      event.target.checked
                        ? [...selected, team.id]
                        : selected.filter((teamId) => teamId !== team.id),
                    );
                  }}
                />{' '}
                <label htmlFor={`${id}-${team.id}`}>{team.name}</label>
              </div>
            ))}
          </fieldset>
          {save.isError ? (
            <p role="alert" className="error">
              {errorText(save.error)}
            </p>
          ) : null}
          {saved ? <p role="status">Care teams saved.</p> : null}
          <button type="submit" disabled={save.isPending || chosen === null}>
            Save care teams
          </button>
        </form>
      ) : null}
    </section>
  );
}
