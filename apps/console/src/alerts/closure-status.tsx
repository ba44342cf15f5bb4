import { dismissClosureError, undoClosure, type PendingClosure } from './pending-closures';

const DONE: Record<PendingClosure['action'], string> = { resolve: 'resolved', dismiss: 'dismissed' };

/**
 * "Alert resolved — Undo" while a resolve or dismiss is held, so a closed alert never vanishes
 * silently; and what went wrong when the held action was refused when sent.
 */
export function ClosureStatus({ closures }: { closures: readonly PendingClosure[] }) {
  return (
    <div className="closure-status">
      {closures.map((closure) =>
        closure.error ? (
          <p key={closure.alertId} role="alert" className="closure error">
            Could not {closure.action} the alert: {closure.error}{' '}
            <button type="button" onClick={() => dismissClosureError(closure.alertId)}>
              OK
            </button>
          </p>
        ) : (
          <p key={closure.alertId} role="status" className="closure">
            Alert {DONE[closure.action]}{' '}
            <button type="button" onClick={() => undoClosure(closure.alertId)}>
              Undo
            </button>
          </p>
        ),
      )}
    </div>
  );
}
