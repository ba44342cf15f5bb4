import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';

const MIN_LENGTH = 12;

type Outcome =
  | { kind: 'form' }
  | { kind: 'done'; email: string }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'unknown' };

function errorCode(error: unknown): string | undefined {
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body)
    return typeof error.body.code === 'string' ? error.body.code : undefined;
  return undefined;
}

function Result({ outcome }: { outcome: Exclude<Outcome, { kind: 'form' }> }) {
  switch (outcome.kind) {
    case 'done':
      return (
        <>
          <h1>Your password is set</h1>
          <p>
            Sign in with <strong>{outcome.email}</strong> and your new password.
          </p>
          <Link to="/">Sign in</Link>
        </>
      );
    case 'used':
      return (
        <>
          <h1>This invitation was already used</h1>
          <p>Each link sets a password once. If you set yours, sign in with it.</p>
          <p>If you did not, ask your administrator to send you a new invitation.</p>
          <Link to="/">Sign in</Link>
        </>
      );
    case 'expired':
      return (
        <>
          <h1>This invitation has expired</h1>
          <p>
            The link is no longer valid: it was too old, or a newer invitation replaced it. Ask your
            administrator to send you a new one, and use the newest email.
          </p>
        </>
      );
    case 'unknown':
      return (
        <>
          <h1>This invitation link is not valid</h1>
          <p>
            Check that you opened the whole link from your email. If it still does not work, ask your
            administrator to send you a new invitation.
          </p>
        </>
      );
  }
}

/** Where an invitation link lands: the invited person chooses their password. */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(code ? { kind: 'form' } : { kind: 'unknown' });

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    if (password !== confirmation) {
      setError('The two passwords are not the same.');
      return;
    }
    setPending(true);
    try {
      const accepted = await unwrap(api.POST('/api/auth/invitations/accept', { body: { code, password } }));
      setOutcome({ kind: 'done', email: accepted.email });
    } catch (caught: unknown) {
      const reason = errorCode(caught);
      if (reason === 'invitation_used') setOutcome({ kind: 'used' });
      else if (reason === 'invitation_expired') setOutcome({ kind: 'expired' });
      else if (reason === 'invitation_not_found') setOutcome({ kind: 'unknown' });
      else if (caught instanceof ApiError && caught.status === 429)
        setError('Too many attempts. Wait a minute and try again.');
      else setError(caught instanceof Error ? caught.message : 'That did not work.');
    } finally {
      setPending(false);
    }
  }

  if (outcome.kind !== 'form')
    return (
      <main className="sign-in">
        <Result outcome={outcome} />
      </main>
    );
  return (
    <main className="sign-in">
      <h1>Set your password</h1>
      <p id={`${id}-rules`} className="hint">
        Use at least {MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to
        remember. Very common passwords and your email address are refused.
      </p>
      <form onSubmit={(event) => void submit(event)} aria-label="Set your password">
        <label htmlFor={`${id}-password`}>New password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_LENGTH}
          aria-describedby={`${id}-rules`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <label htmlFor={`${id}-confirm`}>Repeat the password</label>
        <input
          id={`${id}-confirm`}
          type="password"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          Set password
        </button>
      </form>
    </main>
  );
}
