import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What row-level security keys on in a transaction: the organisation, and the user whose care
 * teams narrow it (absent: the whole organisation). The platform names no domain: the access
 * lib fills these in from a principal's patient scope.
 */
export interface DatabaseSessionSettings {
  readonly organizationId: string;
  readonly userId?: string;
}

/** The role scoped work runs under: not the tables' owner, so their policies apply to it. */
export const SCOPED_ROLE = 'homeward_scoped';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidSessionSettingsError extends Error {
  constructor(field: string) {
    super(`Database session setting ${field} is not a UUID`);
  }
}

/**
 * The database session settings bound to the work in progress (an HTTP request, a socket's
 * set-up), carried by AsyncLocalStorage so every query the work makes through `Database` runs
 * under them, whichever repository makes it. Platform work (ingest, jobs, sign-in) binds none.
 */
export class DatabaseSession {
  private readonly storage = new AsyncLocalStorage<DatabaseSessionSettings | undefined>();

  /** Runs `work` with `settings` bound; refuses anything but UUIDs before a query sees them. */
  run<T>(settings: DatabaseSessionSettings, work: () => T): T {
    if (!UUID.test(settings.organizationId)) throw new InvalidSessionSettingsError('organizationId');
    if (settings.userId !== undefined && !UUID.test(settings.userId))
      throw new InvalidSessionSettingsError('userId');
    return this.storage.run({ organizationId: settings.organizationId, userId: settings.userId }, work);
  }

  /**
   * Runs `work` with no settings bound, as platform work: for the few steps that must reach past
   * the caller's scope by design (break-glass finds a patient anywhere in the organisation).
   */
  unbound<T>(work: () => T): T {
    return this.storage.run(undefined, work);
  }

  current(): DatabaseSessionSettings | undefined {
    return this.storage.getStore();
  }
}

/**
 * The statements that open a scoped transaction, as one simple-protocol text (one round trip).
 * Values are validated UUIDs (`DatabaseSession.run`), checked again here since they are written
 * into the text; `set_config(..., true)` and `SET LOCAL` end with the transaction, so nothing
 * reaches the next user of the pooled connection.
 */
export function scopedTransactionPreamble(settings: DatabaseSessionSettings): string {
  if (!UUID.test(settings.organizationId)) throw new InvalidSessionSettingsError('organizationId');
  if (settings.userId !== undefined && !UUID.test(settings.userId))
    throw new InvalidSessionSettingsError('userId');
  return (
    `BEGIN; SET LOCAL ROLE ${SCOPED_ROLE}; ` +
    `SELECT set_config('homeward.organization_id', '${settings.organizationId}', true), ` +
    `set_config('homeward.user_id', '${settings.userId ?? ''}', true)`
  );
}
