import QRCode from 'qrcode';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { errorCode, mfaEnrolmentCalls } from './mfa-api';

type Step =
  | { kind: 'start' }
  | { kind: 'scan'; secret: string; otpauthUrl: string }
  | { kind: 'codes'; recoveryCodes: string[] };

const PROBLEMS: Record<string, string> = {
  invalid_mfa_code:
    'That code is not the one your app shows now. Check the time on your phone and try the newest code.',
  mfa_already_enrolled: 'An authenticator is already set up for your account. An administrator can reset it.',
  mfa_not_pending: 'Start again: set up the authenticator first.',
  invalid_token: 'This sign-in has expired. Sign in again to set up your authenticator.',
};

function problemText(error: unknown): string {
  const known = PROBLEMS[errorCode(error) ?? ''];
  if (known) return known;
  return error instanceof Error ? error.message : 'That did not work.';
}

/** The secret in groups of four, as authenticator apps show it when typed in by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // A data: URL image: the console's Content-Security-Policy allows data: images, nothing inline.
    void QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 200 }).then((url) => {
      if (current) setSrc(url);
    });
    return () => {
      current = false;
    };
  }, [text]);
  return src ? (
    <img src={src} width={200} height={200} alt={label} />
  ) : (
    <p role="status">Drawing the QR code…</p>
  );
}

/**
 * Setting up an authenticator app: scan the QR code (or type the secret), confirm with the
 * "Authentication code" it shows, then note the recovery codes, shown this once.
 */
export function MfaEnrolment({
  enrollmentToken,
  onDone,
  doneLabel = 'Done',
}: {
  enrollmentToken?: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  const id = useId();
  const calls = useMemo(() => mfaEnrolmentCalls(enrollmentToken), [enrollmentToken]);
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function run(work: () => Promise<void>): Promise<void> {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (caught: unknown) {
      setError(problemText(caught));
    } finally {
      setPending(false);
    }
  }

  const start = () =>
    run(async () => {
      const enrolment = await calls.enroll();
      setCode('');
      setStep({ kind: 'scan', ...enrolment });
    });
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      const { recoveryCodes } = await calls.confirm(code.replace(/\s/g, ''));
      setStep({ kind: 'codes', recoveryCodes });
    });
  };

  const problem = error && (
    <p role="alert" className="error">
      {error}
    </p>
  );

  if (step.kind === 'start')
    return (
      <div className="mfa-enrolment">
        <p>
          You need an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator
          or FreeOTP. Signing in will then ask for the code it shows as well as your password.
        </p>
        {problem}
        <button type="button" disabled={pending} onClick={() => void start()}>
          Set up authenticator app
        </button>
      </div>
    );

  if (step.kind === 'scan')
    return (
      <div className="mfa-enrolment">
        <ol>
          <li>Open your authenticator app and add an account by scanning this QR code.</li>
          <li>
            Or type the secret key into the app instead:{' '}
            <label htmlFor={`${id}-secret`} className="visually-hidden">
              Secret key
            </label>
            <input
              id={`${id}-secret`}
              className="mfa-secret"
              readOnly
              size={46}
              value={grouped(step.secret)}
              onFocus={(event) => event.currentTarget.select()}
            />
          </li>
          <li>Enter the 6-digit code the app shows for Homeward.</li>
        </ol>
        <QrCode text={step.otpauthUrl} label="QR code for your authenticator app" />
        <form onSubmit={confirm} aria-label="Confirm authenticator">
          <label htmlFor={`${id}-code`}>Authentication code</label>
          <input
            id={`${id}-code`}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          {problem}
          <button type="submit" disabled={pending}>
            Confirm
          </button>
        </form>
      </div>
    );

  return (
    <div className="mfa-enrolment">
      <p role="status" className="notice">
        Your authenticator app is set up.
      </p>
      <h2 id={`${id}-codes`}>Recovery codes</h2>
      <p>
        Keep these somewhere safe, away from your phone. If you lose your phone, each code signs you in once
        in place of an authentication code. They are shown only now.
      </p>
      <ul className="recovery-codes" aria-labelledby={`${id}-codes`}>
        {step.recoveryCodes.map((recoveryCode) => (
          <li key={recoveryCode}>
            <code>{recoveryCode}</code>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDone}>
        {doneLabel}
      </button>
    </div>
  );
}
