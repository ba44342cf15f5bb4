import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import {
  useRemoveSingleSignOn,
  useSaveSingleSignOn,
  useSingleSignOnProvider,
  type SingleSignOnProvider,
} from './single-sign-on-queries';

function errorText(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.body && typeof error.body === 'object' && 'code' in error.body) {
    if (error.body.code === 'oidc_client_secret_required') return 'Enter the client secret.';
  }
  return error instanceof Error ? error.message : 'That did not work.';
}

function ProviderForm({
  settings,
  saved,
  setSaved,
}: {
  settings: SingleSignOnProvider;
  saved: boolean;
  setSaved: (saved: boolean) => void;
}) {
  const provider = settings.configured ? settings : null;
  const id = useId();
  const save = useSaveSingleSignOn();
  const remove = useRemoveSingleSignOn();
  const [issuer, setIssuer] = useState(provider?.issuer ?? '');
  const [clientId, setClientId] = useState(provider?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(provider?.allowedEmailDomains.join(', ') ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(
      {
        issuer: issuer.trim(),
        clientId: clientId.trim(),
        ...(clientSecret ? { clientSecret } : {}),
        allowedEmailDomains: domains
          .split(/[\s,]+/)
          .map((domain) => domain.trim())
          .filter(Boolean),
      },
      {
        onSuccess: () => {
          setClientSecret('');
          setSaved(true);
        },
      },
    );
  };

  return (
    <form className="panel" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>Single sign-on</h2>
      <p className="hint">
        {provider
          ? `On. People sign in with “Sign in with single sign-on” and the organisation name ${settings.organizationSlug}; passwords keep working.`
          : 'Off. Connect your organisation’s OpenID Connect provider so people sign in with their work account; passwords keep working. Only people invited here can sign in.'}{' '}
        Register {settings.redirectUri} as the redirect URI at your provider.
      </p>
      <div className="form-grid">
        <label htmlFor={`${id}-issuer`}>Issuer URL</label>
        <input
          id={`${id}-issuer`}
          type="url"
          required
          maxLength={500}
          autoComplete="off"
          value={issuer}
          onChange={(event) => setIssuer(event.target.value)}
        />
        <label htmlFor={`${id}-client`}>Client ID</label>
        <input
          id={`${id}-client`}
          required
          maxLength={500}
          autoComplete="off"
          value={clientId}
          onChange={(event) => setClientId(event.target.value)}
        />
        <label htmlFor={`${id}-secret`}>Client secret</label>
        <input
          id={`${id}-secret`}
          type="password"
          required={!provider}
          maxLength={1000}
          autoComplete="new-password"
          aria-describedby={`${id}-secret-hint`}
          value={clientSecret}
          onChange={(event) => setClientSecret(event.target.value)}
        />
        <label htmlFor={`${id}-domains`}>Allowed email domains</label>
        <input
          id={`${id}-domains`}
          autoComplete="off"
          aria-describedby={`${id}-domains-hint`}
          value={domains}
          onChange={(event) => setDomains(event.target.value)}
        />
      </div>
      <p id={`${id}-secret-hint`} className="hint">
        {provider
          ? 'The secret is kept and never shown; leave it empty to keep it.'
          : 'The secret is kept and never shown again.'}
      </p>
      <p id={`${id}-domains-hint`} className="hint">
        Optional, separated by commas: only emails in these domains may sign in.
      </p>
      {(save.isError || remove.isError) && (
        <p role="alert" className="error">
          {errorText(save.error ?? remove.error)}
        </p>
      )}
      {saved && (
        <p role="status" className="notice">
          Single sign-on saved.
        </p>
      )}
      <button type="submit" disabled={save.isPending}>
        Save single sign-on
      </button>{' '}
      {provider && (
        <button
          type="button"
          disabled={remove.isPending}
          onClick={() => {
            setSaved(false);
            remove.mutate();
          }}
        >
          Turn single sign-on off
        </button>
      )}
    </form>
  );
}

/** An admin's single sign-on settings: the organisation's OpenID Connect provider. */
export function SingleSignOnSettings() {
  const provider = useSingleSignOnProvider();
  // Outside the form, which starts again (re-keyed) after each save.
  const [saved, setSaved] = useState(false);
  if (provider.isPending) return <p>Loading single sign-on…</p>;
  if (provider.isError)
    return (
      <p role="alert" className="error">
        {errorText(provider.error)}
      </p>
    );
  // Keyed so that the form starts again from what was saved or removed.
  return (
    <ProviderForm
      key={provider.data.updatedAt ?? 'off'}
      settings={provider.data}
      saved={saved}
      setSaved={setSaved}
    />
  );
}
