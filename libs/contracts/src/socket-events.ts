/** socket.io namespace and events for the coordinators' live alert queue. */
export const ALERTS_NAMESPACE = '/alerts';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface AlertDto {
  id: string;
  /** Increases with every alert in the platform; clients resume from the last one they saw. */
  sequence: number;
  organizationId: string;
  patientId: string;
  severity: AlertSeverity;
  status: AlertStatus;
  rule: { id: string; kind: string; description: string };
  trigger: {
    type: string;
    value: number;
    unit: string;
    measuredAt: string;
    deviceId: string;
    messageId: string;
  };
  createdAt: string;
}

export interface ServerToClientEvents {
  'alert.created': (alert: AlertDto) => void;
  /** The access token expired; the server disconnects right after. */
  'session.expired': () => void;
}

export interface ClientToServerEvents {
  ping: () => void;
}

/** Room that every socket of an organisation joins. */
export function organizationRoom(organizationId: string): string {
  return `org:${organizationId}`;
}
