/** 08 connection exception, 53 insufficient resources, 57 operator intervention (restart, shutdown), 58 system error. */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);
/** Serialization failure, deadlock, lock not available, read-only during a failover. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '25006']);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
/** node-postgres reports a dropped connection or a checkout timeout with a bare Error. */
const CONNECTION_LOSS =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i;

/**
 * Whether a failed statement may succeed if simply tried again: the database was unreachable,
 * restarting, short of resources or in a conflict with another transaction. Anything else (a
 * constraint, a data exception, a bug) fails the same way every time, so retrying the same
 * input forever would block everything queued behind it.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.length === 5 && /^[0-9A-Z]{5}$/.test(code))
    return TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2)) || TRANSIENT_SQLSTATES.has(code);
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  return CONNECTION_LOSS.test(error.message);
}
