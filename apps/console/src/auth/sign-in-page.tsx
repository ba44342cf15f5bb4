import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSignIn } from './session';

export function SignInPage({ expired }: { expired: boolean }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const emailId = useId();
  const passwordId = useId();

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
    </main>
  );
}
