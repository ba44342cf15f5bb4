import { ApiError } from '../api/client';
import { STATUS_LABELS } from './alert-labels';
import type { AlertStatus } from '@homeward/contracts';

/** Why an action failed, in words; a 409 means the alert changed under the user's hands. */
export function ActionError({ error, action }: { error: Error | null; action: string }) {
  if (!error) return null;
  let message = `Could not ${action}: ${error.message}`;
  if (error instanceof ApiError && error.status === 409) {
    const status =
      error.body && typeof error.body === 'object' && 'status' in error.body
        ? STATUS_LABELS[error.body.status as AlertStatus]
        : undefined;
    message = `${error.message}. Someone may have acted first${status ? `: the alert is now ${status.toLowerCase()}` : ''}.`;
  } else if (error instanceof ApiError && error.status === 403)
    message = `Could not ${action}: your role does not allow it.`;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
