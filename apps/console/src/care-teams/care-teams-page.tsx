import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { usePeople } from '../people/people-queries';
import '../patients/patients.css';
import {
  useCareTeams,
  useCreateCareTeam,
  useDeleteCareTeam,
  useMembership,
  useRenameCareTeam,
  type CareTeam,
} from './care-team-queries';

const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  coordinator: 'Care coordinator',
  clinician: 'Clinician',
};

function errorText(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body) {
    if (error.body.code === 'care_team_name_taken') return 'There is already a team of that name.';
    if (error.body.code === 'care_team_not_empty')
      return 'The team still holds patients: move them to another team first.';
  }
  return error instanceof Error ? error.message : 'That did not work.';
}

/** A team's name, as the API takes it (1–120 characters). */
function TeamNameInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <input
      id={id}
      required
      maxLength={120}
      autoComplete="off"
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function CreateTeamForm() {
  const id = useId();
  const create = useCreateCareTeam();
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  return (
    <form className="panel" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>Create a care team</h2>
      <div className="form-grid">
        <label htmlFor={`${id}-name`}>Team name</label>
        <TeamNameInput id={`${id}-name`} value={name} onChange={setName} />
      </div>
      {create.isError && (
        <p role="alert" className="error">
          {errorText(create.error)}
        </p>
      )}
      <button type="submit" disabled={create.isPending}>
        Create team
      </button>
    </form>
  );
}

/** Renaming a team, and deleting one that holds no patients (asked twice). */
function TeamSettings({ team }: { team: CareTeam }) {
  const id = useId();
  const rename = useRenameCareTeam();
  const remove = useDeleteCareTeam();
  const [name, setName] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name === null) return;
    rename.mutate({ careTeamId: team.id, name: name.trim() }, { onSuccess: () => setName(null) });
  };
  const error = rename.error ?? remove.error;
  return (
    <div className="inline-form">
      {name === null ? (
        <button type="button" onClick={() => setName(team.name)}>
          Rename {team.name}
        </button>
      ) : (
        <form onSubmit={submit}>
          <label htmlFor={`${id}-name`}>New name for {team.name}</label>{' '}
          <TeamNameInput id={`${id}-name`} value={name} onChange={setName} />{' '}
          <button type="submit" disabled={rename.isPending}>
            Save name
          </button>{' '}
          <button type="button" onClick={() => setName(null)}>
            Cancel
          </button>
        </form>
      )}{' '}
      {team.patientCount > 0 ? (
        <span className="muted">To delete this team, move its patients to another team first.</span>
      ) : confirming ? (
        <>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(team.id, { onSettled: () => setConfirming(false) })}
          >
            Confirm: delete {team.name}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete {team.name}
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}

function TeamPanel({
  team,
  people,
}: {
  team: CareTeam;
  people: Array<{ id: string; displayName: string; role: string }>;
}) {
  const id = useId();
  const membership = useMembership();
  const candidates = people.filter((person) => !team.members.some((member) => member.userId === person.id));
  const [chosen, setChosen] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    membership.mutate(
      { careTeamId: team.id, userId: chosen, member: true },
      { onSuccess: () => setChosen('') },
    );
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{team.name}</h2>
      <p className="muted">
        {team.patientCount === 1 ? '1 patient' : `${team.patientCount} patients`} ·{' '}
        {team.members.length === 1 ? '1 member' : `${team.members.length} members`}
      </p>
      <TeamSettings team={team} />
      {team.members.length === 0 ? (
        <p className="muted">No members yet: only administrators see this team&apos;s patients.</p>
      ) : (
        <ul aria-label={`Members of ${team.name}`}>
          {team.members.map((member) => (
            <li key={member.userId}>
              {member.displayName} <span className="muted">({ROLE_NAMES[member.role] ?? member.role})</span>{' '}
              <button
                type="button"
                aria-label={`Remove ${member.displayName} from ${team.name}`}
                disabled={membership.isPending}
                onClick={() =>
                  membership.mutate({ careTeamId: team.id, userId: member.userId, member: false })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="inline-form">
        <label htmlFor={`${id}-add`}>Add a member to {team.name}</label>{' '}
        <select id={`${id}-add`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">Choose a colleague…</option>
          {candidates.map((person) => (
            <option key={person.id} value={person.id}>
              {person.displayName} ({ROLE_NAMES[person.role] ?? person.role})
            </option>
          ))}
        </select>{' '}
        <button type="submit" disabled={!chosen || membership.isPending}>
          Add
        </button>
      </form>
      {membership.isError && (
        <p role="alert" className="error">
          {errorText(membership.error)}
        </p>
      )}
    </section>
  );
}

/**
 * An admin's care teams: coordinators and clinicians see the patients of their teams only;
 * a patient in no team is seen by administrators alone.
 */
export function CareTeamsPage() {
  const { user: me } = useSession();
  const teams = useCareTeams();
  const people = usePeople(0);
  if (me.role !== 'admin')
    return (
      <section className="panel">
        <h1>Care teams</h1>
        <p>Only administrators manage care teams.</p>
      </section>
    );
  const staff = (people.data?.items ?? []).filter((person) => person.status !== 'disabled');
  return (
    <>
      <h1>Care teams</h1>
      <p>Coordinators and clinicians see the patients of their care teams; administrators see everyone.</p>
      <CreateTeamForm />
      {teams.isPending && <p role="status">Loading the care teams…</p>}
      {teams.isError && (
        <p role="alert" className="error">
          {errorText(teams.error)}
        </p>
      )}
      {teams.data?.items.length === 0 && <p>No care teams yet.</p>}
      {teams.data?.items.map((team) => (
        <TeamPanel key={team.id} team={team} people={staff} />
      ))}
    </>
  );
}
