import { useConnectionState, type ConnectionState } from './live-alerts';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Whether the queue is live: a status region, so screen readers hear it change. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <p className={`connection connection-${state}`} role="status" data-state={state}>
      <span aria-hidden="true" className="connection-dot" />
      <span>Connection: {LABELS[state]}</span>
    </p>
  );
}
