/** Row types of the patients and devices tables, returned by their repositories. */

export interface PatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** IANA time zone; null reads as UTC. */
  timeZone: string | null;
  createdAt: Date;
}

export interface DeviceRow {
  id: string;
  organizationId: string;
  patientId: string;
  kind: string;
  label: string | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface DeviceCredentialRow {
  id: string;
  secretHash: Buffer;
  revokedAt: Date | null;
}

export interface DeviceRouteRow {
  id: string;
  patientId: string;
  organizationId: string;
}
