import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { errorCode } from './mfa-api';
import { MfaEnrolment } from './mfa-enrolment';

function AuthenticatorSection() {
  const id = useId();
  const queryClient = useQueryClient();
  // Never refetched behind the user's back: the recovery codes must stay on screen until "Done".
  const status = useQuery({
    queryKey: ['mfa-status'],
    queryFn: () => unwrap(api.GET('/api/auth/mfa')),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Authenticator app</h2>
      {status.isPending && <p role="status">Loading…</p>}
      {status.isError && (
        <p role="alert" className="error">
          {status.error.message}
        </p>
      )}
      {status.data?.enrolled && (
        <>
          <p>
            Two-step sign-in is on: signing in asks for the code from your authenticator app as well as your
            password. You have {status.data.recoveryCodesLeft} unused recovery codes.
          </p>
          <p className="hint">
            Lost your phone? Sign in with a recovery code, or ask an administrator to reset it.
          </p>
        </>
      )}
      {status.data && !status.data.enrolled && (
        <>
          {status.data.required && (
            <p className="notice">Your organisation requires an authenticator app for every account.</p>
          )}
          <MfaEnrolment onDone={() => void queryClient.invalidateQueries({ queryKey: ['mfa-status'] })} />
        </>
      )}
    </section>
  );
}

function OrganizationSection() {
  const id = useId();
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['organization-settings'],
    queryFn: () => unwrap(api.GET('/api/admin/organization')),
  });
  const [required, setRequired] = useState<boolean | null>(null);
  const save = useMutation({
    mutationFn: (mfaRequired: boolean) =>
      unwrap(api.PATCH('/api/admin/organization', { body: { mfaRequired } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(['organization-settings'], saved);
      setRequired(null);
    },
  });
  const value = required ?? settings.data?.mfaRequired ?? false;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(value);
  };
  return (
    <form className="panel" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>Sign-in rules for {settings.data?.name ?? 'your organisation'}</h2>
      <label>
        <input
          type="checkbox"
          checked={value}
          disabled={!settings.data}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setRequired(event.target.checked)}
        />{' '}
        Require an authenticator app for everyone
      </label>
      <p id={`${id}-hint`} className="hint">
        Turning this on signs out everyone who has not set one up; they set it up at their next sign-in.
      </p>
      {save.isError && (
        <p role="alert" className="error">
          {errorCode(save.error) === 'mfa_not_enrolled'
            ? 'Set up your own authenticator app first.'
            : save.error.message}
        </p>
      )}
      {save.isSuccess && required === null && (
        <p role="status" className="notice">
          Saved.
        </p>
      )}
      <button type="submit" disabled={!settings.data || save.isPending}>
        Save
      </button>
    </form>
  );
}

/** The signed-in user's own sign-in security; admins also set the organisation's rule. */
export function SecurityPage() {
  const { user } = useSession();
  return (
    <>
      <h1>Security</h1>
      <AuthenticatorSection />
      {user.role === 'admin' && <OrganizationSection />}
    </>
  );
}
