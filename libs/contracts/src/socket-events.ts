import type { AlertStatus, Severity } from './domain-values';
import type { VisitSummary } from './visits';

/** socket.io namespace and events for the coordinators' live alert queue. */
export const ALERTS_NAMESPACE = '/alerts';

export interface AlertDto {
  id: string;
  /** Increases with every alert in the platform; clients resume from the last one they saw. */
  sequence: number;
  /**
   * The number of the alert's last change, from the same counter as `sequence`. A client
   * reconnects with the highest `sequence` or `changeSequence` it has seen as `lastSequence`.
   */
  changeSequence: number;
  organizationId: string;
  patientId: string;
  severity: Severity;
  status: AlertStatus;
  /** `version` 0: the rule as its protocol publishes it; n: the patient's override version n that fired it. */
  rule: { id: string; kind: string; description: string; version: number };
  /**
   * What fired, in words for the queue: the reading against the cut-off it crossed ("Systolic
   * 186 mmHg ≥ 180"), or what is missing ("No weight reading for 48 h").
   */
  summary: string;
  /**
   * The reading that raised the alert. Null when no one reading did: a `missed` alert (no
   * reading of a type for N hours, raised by the scheduled check). An alert is an episode keyed
   * by patient and rule group, never by its trigger.
   */
  trigger: {
    type: string;
    value: number;
    unit: string;
    measuredAt: string;
    deviceId: string;
    messageId: string;
  } | null;
  /** Raised by a reading that arrived long after it was measured: it describes the past. */
  late: boolean;
  /** Breaches attached to this episode, the first included. */
  occurrences: number;
  /**
   * The latest breaching value and when it was measured. A `missed` alert has no value (null)
   * and `lastMeasuredAt` is the patient's last reading of the type, null if they never measured.
   */
  lastValue: number | null;
  lastMeasuredAt: string | null;
  /** The user who owns the alert, if any. */
  assignedTo: string | null;
  /** Hidden from the queue until then (never for critical alerts). */
  snoozedUntil: string | null;
  /**
   * When the patient's readings of the alert's vitals came back in range after its last breach,
   * null while they have not. An unacknowledged critical alert stays in the queue regardless.
   */
  inRangeSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Most alerts one replay sends; the rest of a longer absence is read through `GET /api/alerts`. */
export const ALERT_REPLAY_MAX = 5000;

/** A `GET /api/alerts` query (pages newest first; continue with `beforeSequence` = the last one seen). */
export interface AlertPageQuery {
  severity: Severity;
  /** Exclusive lower bound: the client's `lastSequence`. */
  afterSequence: number;
  /** Exclusive upper bound, absent for no bound. */
  beforeSequence?: number;
}

/** Sent once a replay requested with `auth.lastSequence` has emitted every `alert.created` it will. */
export interface AlertReplayComplete {
  /** Alerts replayed. */
  count: number;
  /** Highest sequence replayed; null when nothing was missed. */
  highestSequence: number | null;
  /** The absence held more than `ALERT_REPLAY_MAX` alerts; `remaining` returns the rest. */
  truncated: boolean;
  /** The `GET /api/alerts` queries that return what was not replayed, in replay order; empty unless truncated. */
  remaining: AlertPageQuery[];
  /** Older alerts that changed while the client was away, replayed as `alert.updated` before this event. */
  updated: number;
  /** More changes than ALERT_REPLAY_MAX: re-read the queue through `GET /api/alerts`. */
  updatesTruncated: boolean;
}

/** Kinds of notification; each names what happened, the payload only ids. */
export const NOTIFICATION_KINDS = [
  'alert.escalated',
  'visit.missed',
  'user.invited',
  'patient.break_glass',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A notification as every transport receives it: ids and the step, never health data (email
 * and SMS leave the platform); the recipient reads the alert itself through the API.
 */
export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  alertId: string | null;
  payload: {
    step?: number;
    severity?: Severity;
    reason?: string;
    visitId?: string;
    /** `user.invited` only, sent by email only: the one-time link that sets the user's password. */
    invitationUrl?: string;
    invitationExpiresAt?: string;
    /** `patient.break_glass`: the patient someone outside their care team opened. */
    patientId?: string;
    /**
     * `patient.break_glass`, on the socket only (email and SMS say that it happened, and link to
     * the patient): who broke the glass, why, and until when.
     */
    breakGlass?: { grantId: string; userId: string; userName: string; reason: string; expiresAt: string };
  };
  createdAt: string;
}

export interface ServerToClientEvents {
  /** A new alert, or, after connecting with `auth.lastSequence`, a missed one (critical first, newest first). */
  'alert.created': (alert: AlertDto) => void;
  /** An alert changed (acknowledged, assigned, snoozed, escalated, resolved, ...): the whole alert. */
  'alert.updated': (alert: AlertDto) => void;
  'alert.replay.complete': (summary: AlertReplayComplete) => void;
  /** Something for this user in particular (an escalated alert, say), sent to their own sockets. */
  notification: (notification: NotificationDto) => void;
  /** A video visit changed (created, someone joined or left, ended, missed, cancelled, notes): its summary. */
  'visit.updated': (visit: VisitSummary) => void;
  /** The access token expired; the server disconnects right after. */
  'session.expired': () => void;
}

/** Clients send nothing over the socket today: actions go through the REST API. */
export type ClientToServerEvents = Record<string, never>;

/** Room that every socket of an organisation joins. */
export function organizationRoom(organizationId: string): string {
  return `org:${organizationId}`;
}

/** Room that the sockets of a care team's members join: the events of the team's patients. */
export function careTeamRoom(careTeamId: string): string {
  return `care-team:${careTeamId}`;
}

/** Room that every socket of one user joins: notifications meant for them alone. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** Room that the sockets of one session (sign-in) join, so revoking it can close them. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
