/** Row types of the patients and devices tables, returned by their repositories. */

export interface PatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** IANA time zone; null reads as UTC. */
  timeZone: string | null;
  /** E.164; null when not known. */
  phone: string | null;
  email: string | null;
  createdAt: Date;
  /** The care teams holding the patient, by id; empty for an unassigned patient (admins only see it). */
  careTeamIds: string[];
}

export interface DeviceRow {
  id: string;
  organizationId: string;
  patientId: string;
  kind: string;
  label: string | null;
  /** When the device was deactivated (the column predates the word); null while active. */
  revokedAt: Date | null;
  deactivatedReason: string | null;
  createdAt: Date;
}

/** A device with what it last reported and when the platform last heard from it. */
export interface DeviceViewRow extends DeviceRow {
  /** The later of its last stored message and its last status; null if never heard from. */
  lastSeenAt: Date | null;
  firmwareVersion: string | null;
  batteryLevel: number | null;
  signalStrength: number | null;
  statusReportedAt: Date | null;
  /** When a message whose Bluetooth time stamp was whole hours off receivedAt (`clock_suspect`) was last stored; null if never. */
  clockSuspectSeenAt: Date | null;
  /** Whether the device's latest stored message was such a one: its clock is in the wrong zone now. */
  clockSuspect: boolean;
}

export interface DeviceCredentialRow {
  id: string;
  secretHash: Buffer;
  revokedAt: Date | null;
}

export interface DeviceRouteRow {
  id: string;
  /** The patient the device is with now. */
  patientId: string;
  organizationId: string;
  /** When the device was deactivated; null while active. */
  deactivatedAt: Date | null;
  /** The IANA time zone of the patient the device is with now (null: not set, read as UTC): device clocks keep local time. */
  timeZone: string | null;
  /** Every patient the device has been with, oldest first; the first since its registration. */
  assignments: Array<{ patientId: string; assignedAt: Date }>;
}
