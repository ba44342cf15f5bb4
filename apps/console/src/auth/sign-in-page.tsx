import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSignIn, useSingleSignOnExchange } from './session';
import {
  claimSingleSignOnCode,
  lastSingleSignOnOrganization,
  rememberSingleSignOnOrganization,
  singleSignOnCodePending,
  singleSignOnError,
  singleSignOnMessage,
  singleSignOnStartUrl,
} from './single-sign-on';

export function SignInPage({ expired }: { expired: boolean }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ssoError, setSsoError] = useState<string | null>(() => {
    const refused = singleSignOnError();
    return refused ? singleSignOnMessage(refused) : null;
  });
  const [pending, setPending] = useState(singleSignOnCodePending);
  const emailId = useId();
  const passwordId = useId();
  const organizationId = useId();
  const [organization, setOrganization] = useState(lastSingleSignOnOrganization);
  const exchange = useSingleSignOnExchange();

  // Coming back from the organisation's sign-in service: finish (once, even when effects run twice).
  useEffect(() => {
    const code = claimSingleSignOnCode();
    if (!code) return;
    exchange(code).catch((caught: unknown) => {
      setSsoError(
        caught instanceof ApiError && caught.status === 401
          ? singleSignOnMessage('sso_invalid_state')
          : caught instanceof Error
            ? caught.message
            : 'Sign-in failed.',
      );
      setPending(false);
    });
  }, [exchange]);

  function startSingleSignOn(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setPending(true);
    rememberSingleSignOnOrganization(organization);
    window.location.assign(singleSignOnStartUrl(organization));
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (caught: unknown) {
      if (caught instanceof ApiError && caught.status === 401) setError('Wrong email or password.');
      else if (caught instanceof ApiError && caught.status === 429)
        setError('Too many attempts. Wait a minute and try again.');
      else setError(caught instanceof Error ? caught.message : 'Sign-in failed.');
      setPending(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Homeward console</h1>
      {expired && (
        <p role="status" className="notice">
          Your session has ended. Sign in again to continue where you were.
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor={passwordId}>Password</label>
        <input
          id={passwordId}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          Sign in
        </button>
      </form>
      <form onSubmit={startSingleSignOn} aria-label="Sign in with single sign-on">
        <label htmlFor={organizationId}>Organisation</label>
        <input
          id={organizationId}
          type="text"
          autoComplete="organization"
          autoCapitalize="none"
          spellCheck={false}
          required
          pattern="[A-Za-z0-9][A-Za-z0-9\-]*"
          aria-describedby={`${organizationId}-hint`}
          value={organization}
          onChange={(event) => setOrganization(event.target.value)}
        />
        <p id={`${organizationId}-hint`} className="hint">
          Your organisation’s short name in Homeward, such as riverside-clinic.
        </p>
        {ssoError && (
          <p role="alert" className="error">
            {ssoError}
          </p>
        )}
        <button type="submit" disabled={pending}>
          Sign in with single sign-on
        </button>
      </form>
    </main>
  );
}
