import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { useCareTeams } from '../care-teams/care-team-queries';
import '../patients/patients.css';
import {
  PEOPLE_PAGE_SIZE,
  ROLE_OPTIONS,
  STATUS_NAMES,
  useChangeRole,
  useInvite,
  usePeople,
  useResendInvitation,
  useResetAuthenticator,
  useSetDisabled,
  type Role,
  type User,
} from './people-queries';
import { SingleSignOnSettings } from './single-sign-on-settings';

/** The link is emailed; a development build also shows it, since no mail server may be running. */
const SHOW_LINKS = import.meta.env.DEV;

function errorText(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body) {
    if (error.body.code === 'last_admin') return 'The organisation needs another active administrator first.';
    if (error.body.code === 'email_taken') return 'Someone already has an account with this email.';
  }
  return error instanceof Error ? error.message : 'That did not work.';
}

function InvitationSent({ email, url, expiresAt }: { email: string; url: string; expiresAt: string }) {
  return (
    <div role="status" className="notice">
      Invitation sent to {email}. The link works once, until {new Date(expiresAt).toLocaleString()}.
      {SHOW_LINKS && (
        <>
          {' '}
          Development link: <a href={url}>{url}</a>
        </>
      )}
    </div>
  );
}

function InviteForm() {
  const id = useId();
  const invite = useInvite();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('coordinator');
  const [careTeamIds, setCareTeamIds] = useState<string[]>([]);
  const teams = useCareTeams();
  const [sent, setSent] = useState<{ email: string; url: string; expiresAt: string } | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { email: email.trim(), name: name.trim(), role, careTeamIds },
      {
        onSuccess: (created) => {
          setSent({ email: email.trim(), ...created.invitation });
          setEmail('');
          setName('');
          setCareTeamIds([]);
        },
      },
    );
  };
  return (
    <form className="panel" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>Invite a colleague</h2>
      <div className="form-grid">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          required
          maxLength={120}
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {teams.data && teams.data.items.length > 0 ? (
        <fieldset>
          <legend>Care teams (coordinators and clinicians see their teams&apos; patients)</legend>
          {teams.data.items.map((team) => (
            <div key={team.id}>
              <input
                type="checkbox"
                id={`${id}-team-${team.id}`}
                checked={careTeamIds.includes(team.id)}
                onChange={(event) =>
                  setCareTeamIds(
                    event.target.checked
                      ? [...careTeamIds, team.id]
                      : careTeamIds.filter((teamId) => teamId !== team.id),
                  )
                }
              />{' '}
              <label htmlFor={`${id}-team-${team.id}`}>{team.name}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
      <p className="hint">They receive an email with a link to set their password.</p>
      {invite.isError && (
        <p role="alert" className="error">
          {errorText(invite.error)}
        </p>
      )}
      {sent && <InvitationSent {...sent} />}
      <button type="submit" disabled={invite.isPending}>
        Invite
      </button>
    </form>
  );
}

function PersonRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const changeRole = useChangeRole();
  const setDisabled = useSetDisabled();
  const resend = useResendInvitation();
  const resetAuthenticator = useResetAuthenticator();
  const [resent, setResent] = useState<{ url: string; expiresAt: string } | null>(null);
  const error = errorText(changeRole.error ?? setDisabled.error ?? resend.error ?? resetAuthenticator.error);
  const status = user.status ?? 'active';
  const disabled = status === 'disabled';
  return (
    <tr>
      <th scope="row">
        {user.displayName}
        {isSelf && <span className="muted"> (you)</span>}
      </th>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={`Role of ${user.displayName}`}
          value={user.role}
          disabled={changeRole.isPending}
          onChange={(event) => changeRole.mutate({ id: user.id, role: event.target.value as Role })}
        >
          {ROLE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </td>
      <td>{STATUS_NAMES[status]}</td>
      <td>{user.mfaEnrolled ? 'Set up' : 'Not set up'}</td>
      <td>
        <button
          type="button"
          aria-label={`${disabled ? 'Enable' : 'Disable'} ${user.displayName}`}
          disabled={setDisabled.isPending}
          onClick={() => setDisabled.mutate({ id: user.id, disabled: !disabled })}
        >
          {disabled ? 'Enable' : 'Disable'}
        </button>{' '}
        {!disabled && (
          <button
            type="button"
            aria-label={`Re-send invitation to ${user.displayName}`}
            disabled={resend.isPending}
            onClick={() => resend.mutate({ id: user.id }, { onSuccess: setResent })}
          >
            Re-send invitation
          </button>
        )}
        {status === 'active' && user.mfaEnrolled && (
          <>
            {' '}
            <button
              type="button"
              aria-label={`Reset authenticator app of ${user.displayName}`}
              disabled={resetAuthenticator.isPending}
              onClick={() => resetAuthenticator.mutate({ id: user.id })}
            >
              Reset authenticator
            </button>
          </>
        )}
        {resetAuthenticator.isSuccess && (
          <p role="status" className="notice">
            {user.displayName}&apos;s authenticator app was removed and their sessions ended. They can set up
            a new one after signing in.
          </p>
        )}
        {resent && <InvitationSent email={user.email ?? user.displayName} {...resent} />}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

/** An admin's people: who has an account, their role, and invitations. */
export function PeoplePage() {
  const { user: me } = useSession();
  const [offset, setOffset] = useState(0);
  const people = usePeople(offset);
  if (me.role !== 'admin')
    return (
      <section className="panel">
        <h1>People</h1>
        <p>Only administrators manage people.</p>
      </section>
    );
  const total = people.data?.total ?? 0;
  return (
    <>
      <h1>People</h1>
      <InviteForm />
      <section className="panel" aria-labelledby="people-title">
        <h2 id="people-title">Everyone in {me.organization.name}</h2>
        {people.isPending && <p>Loading…</p>}
        {people.isError && (
          <p role="alert" className="error">
            {errorText(people.error)}
          </p>
        )}
        {people.data && (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Authenticator app</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {people.data.items.map((user) => (
                  <PersonRow key={user.id} user={user} isSelf={user.id === me.id} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {total > PEOPLE_PAGE_SIZE && (
          <nav aria-label="Pages">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(offset - PEOPLE_PAGE_SIZE)}
            >
              Previous
            </button>{' '}
            <button
              type="button"
              disabled={offset + PEOPLE_PAGE_SIZE >= total}
              onClick={() => setOffset(offset + PEOPLE_PAGE_SIZE)}
            >
              Next
            </button>
          </nav>
        )}
      </section>
      <SingleSignOnSettings />
    </>
  );
}
