/** Row types of identity's tables, returned by its repositories. */
import type { UserRole } from '@homeward/contracts';
import type { AuditChainFields } from './audit/audit-chain';

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  /** Every user must sign in with a second factor (TOTP). */
  mfaRequired: boolean;
}

export interface UserRow {
  id: string;
  organizationId: string;
  email: string;
  displayName: string;
  role: UserRole;
  /** Null until the user accepts their invitation and sets one. */
  passwordHash: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

/** A user as the People list shows them: with whether an authenticator app is set up. */
export interface UserListRow extends UserRow {
  mfaEnrolled: boolean;
}

/** A user's TOTP authenticator: pending until its first code confirms it. */
export interface UserMfaRow {
  userId: string;
  /** The shared secret, sealed (`secret-box.ts`). */
  secretCiphertext: string;
  confirmedAt: Date | null;
  /** The newest time step a code was accepted for; null before any. */
  lastUsedStep: number | null;
}

export interface InvitationRow {
  id: string;
  organizationId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  voidedAt: Date | null;
}

/** Who acts without signing in: a link's patient or guest, a webhook's sender, the platform's own jobs. */
export type UnauthenticatedActor = 'patient' | 'guest' | 'livekit' | 'system' | 'anonymous';

export interface NewAuditEventRow {
  /** Null only for a request that names no organisation (a forged webhook). */
  organizationId: string | null;
  /** Null for actors without an account: a patient or guest with a link, LiveKit, the platform. */
  actorUserId: string | null;
  actorRole: UserRole | UnauthenticatedActor;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: 'allowed' | 'denied';
  requestId: string | null;
}

/** An audit row as its chain hashes it, with the hash of the row before it in the chain (if any). */
export interface AuditChainRow extends AuditChainFields {
  rowHash: string;
  /** `row_hash` of the row at `chainSeq - 1`; null when there is none (first row, or deleted). */
  previousRowHash: string | null;
}

/** One entry of a patient's access log: an audit row with its actor's name. */
export interface AuditAccessRow {
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorRole: string;
  action: string;
  outcome: 'allowed' | 'denied';
  resourceType: string;
  resourceId: string | null;
}

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  userAgent: string | null;
  ipAddress: string | null;
}

/** A presented refresh token with its session and the session's user. */
export interface RefreshTokenLookupRow extends SessionRow {
  replacedAt: Date | null;
  organizationId: string;
  role: UserRole;
  userDisabled: boolean;
}

/** An organisation's OpenID Connect provider, with its client secret (never leaves the service). */
export interface OidcProviderRow {
  organizationId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedEmailDomains: string[];
  updatedAt: Date;
}

/** A sign-in under way at the provider, as its state found it. */
export interface OidcSignInStateRow {
  organizationId: string;
  codeVerifier: string;
  nonce: string;
  expiresAt: Date;
}
