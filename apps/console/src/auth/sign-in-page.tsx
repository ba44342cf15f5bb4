import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { errorCode } from '../account/mfa-api';
import { MfaEnrolment } from '../account/mfa-enrolment';
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

/**
 * Where the sign-in is: the password; then, for an account with an authenticator app, its code;
 * or, when the organisation requires one the user has not set up, setting it up first.
 */
type Step = { kind: 'password' } | { kind: 'code'; justEnrolled: boolean } | { kind: 'enrol'; token: string };

function enrollmentTokenOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== 'object') return undefined;
  const token = (error.body as { enrollmentToken?: unknown }).enrollmentToken;
  return typeof token === 'string' ? token : undefined;
}

export function SignInPage({ expired }: { expired: boolean }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | null>(null);
  const [ssoError, setSsoError] = useState<string | null>(() => {
    const refused = singleSignOnError();
    return refused ? singleSignOnMessage(refused) : null;
  });
  const [pending, setPending] = useState(singleSignOnCodePending);
  const emailId = useId();
  const passwordId = useId();
  const codeId = useId();
  const organizationId = useId();
  const [organization, setOrganization] = useState(lastSingleSignOnOrganization);
  const exchange = useSingleSignOnExchange();

  // Coming back from the organisation's sign-in service: finish (once, even when effects run twice).
  useEffect(() => {
    const handoff = claimSingleSignOnCode();
    if (!handoff) return;
    exchange(handoff).catch((caught: unknown) => {
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
    const sentCode = step.kind === 'code' ? code.trim() : undefined;
    try {
      await signIn(email, password, sentCode);
    } catch (caught: unknown) {
      const reason = errorCode(caught);
      const token = enrollmentTokenOf(caught);
      if (reason === 'mfa_required') {
        setCode('');
        setStep({ kind: 'code', justEnrolled: false });
      } else if (reason === 'mfa_enrollment_required' && token) setStep({ kind: 'enrol', token });
      else if (caught instanceof ApiError && caught.status === 401)
        setError(
          sentCode
            ? 'That code is wrong or was already used. Wait for the next code and try again.'
            : 'Wrong email or password.',
        );
      else if (caught instanceof ApiError && caught.status === 429)
        setError('Too many attempts. Wait a minute and try again.');
      else setError(caught instanceof Error ? caught.message : 'Sign-in failed.');
      setPending(false);
    }
  }

  const startOver = () => {
    setStep({ kind: 'password' });
    setPassword('');
    setCode('');
    setError(null);
  };

  const problem = error && (
    <p role="alert" className="error">
      {error}
    </p>
  );

  if (step.kind === 'enrol')
    return (
      <main className="sign-in">
        <h1>Set up your authenticator app</h1>
        <p className="notice">Your organisation requires an authenticator app to sign in.</p>
        <MfaEnrolment
          enrollmentToken={step.token}
          doneLabel="Continue to sign in"
          onDone={() => {
            setCode('');
            setStep({ kind: 'code', justEnrolled: true });
          }}
        />
        <button type="button" onClick={startOver}>
          Use a different account
        </button>
      </main>
    );

  if (step.kind === 'code')
    return (
      <main className="sign-in">
        <h1>Two-step sign-in</h1>
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
          <p id={`${codeId}-hint`} className="hint">
            {step.justEnrolled
              ? 'Enter the next code your authenticator app shows (the one you just used works only once).'
              : 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.'}
          </p>
          <label htmlFor={codeId}>Authentication code</label>
          <input
            id={codeId}
            autoComplete="one-time-code"
            required
            maxLength={64}
            aria-describedby={`${codeId}-hint`}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          {problem}
          <button type="submit" disabled={pending}>
            Sign in
          </button>
        </form>
        <button type="button" onClick={startOver}>
          Use a different account
        </button>
      </main>
    );

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
        {problem}
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
