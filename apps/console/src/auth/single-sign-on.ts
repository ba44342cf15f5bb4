/** What the API's single sign-on callback handed back in the fragment: a one-time code or a refusal. */
export type SingleSignOnReturn = { code: string } | { error: string } | null;

const MESSAGES: Record<string, string> = {
  sso_not_configured:
    'Single sign-on is not set up for this organisation. Check its name, or sign in with your password.',
  sso_invalid_state: 'That sign-in took too long or was started in another window. Try again.',
  sso_provider_error:
    'Your organisation’s sign-in service did not complete the sign-in. Try again, or ask your administrator.',
  sso_email_unverified:
    'Your organisation’s sign-in service has not verified your email address. Ask your administrator.',
  sso_domain_not_allowed:
    'Your email address is not in a domain this organisation allows for single sign-on.',
  sso_no_account:
    'There is no active Homeward account for your email in this organisation. Ask an administrator to invite you.',
};

export function singleSignOnMessage(error: string): string {
  return MESSAGES[error] ?? 'Single sign-on failed. Try again, or sign in with your password.';
}

/**
 * Reads the result from the address once, and removes it at once so that neither the history nor
 * a bookmark keeps the one-time code.
 */
function takeFromAddress(): SingleSignOnReturn {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const code = params.get('sso_code');
  const error = params.get('sso_error');
  if (!code && !error) return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return code ? { code } : { error: error ?? '' };
}

/** Read when the page loads: the callback redirect is always a fresh page load. */
const returned: SingleSignOnReturn = typeof window === 'undefined' ? null : takeFromAddress();
let codeClaimed = false;

/** The refusal the callback reported when this page loaded, if any. */
export function singleSignOnError(): string | null {
  return returned && 'error' in returned ? returned.error : null;
}

/** The one-time code the callback handed back when this page loaded: once, to whoever asks first. */
export function claimSingleSignOnCode(): string | null {
  if (codeClaimed || !returned || !('code' in returned)) return null;
  codeClaimed = true;
  return returned.code;
}

/** Whether a code came back that is still to be exchanged. */
export function singleSignOnCodePending(): boolean {
  return Boolean(returned && 'code' in returned && !codeClaimed);
}

/** Where the browser goes to sign in with the organisation's provider. */
export function singleSignOnStartUrl(organization: string): string {
  return `/api/auth/oidc/start?organization=${encodeURIComponent(organization.trim().toLowerCase())}`;
}

const LAST_ORGANIZATION = 'homeward.sso-organization';

/** The organisation this browser last signed in to with single sign-on (not a secret). */
export function lastSingleSignOnOrganization(): string {
  try {
    return localStorage.getItem(LAST_ORGANIZATION) ?? '';
  } catch {
    return '';
  }
}

export function rememberSingleSignOnOrganization(organization: string): void {
  try {
    localStorage.setItem(LAST_ORGANIZATION, organization.trim().toLowerCase());
  } catch {
    // Storage refused (private mode): the field just starts empty next time.
  }
}
