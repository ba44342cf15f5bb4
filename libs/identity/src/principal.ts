import type { UserRole } from '@homeward/contracts';

/**
 * A member of an organisation's staff, signed in with an account: who a request or socket acts
 * for. `kind` may be left out (every principal is staff today); a principal of another kind
 * always names its own.
 */
export interface StaffPrincipal {
  readonly kind?: 'staff';
  userId: string;
  organizationId: string;
  role: UserRole;
  /** Correlates audit events and logs with the request or socket that caused them. */
  requestId?: string;
}

/**
 * Who a request or socket acts for, as authentication established it. The kinds of principal
 * form a union discriminated by `kind`: staff today, patients next. What a principal may see is
 * `@homeward/access`'s decision, not identity's.
 */
export type Principal = StaffPrincipal;

export type PrincipalKind = NonNullable<Principal['kind']>;

/** The kind of a principal, reading an absent `kind` as staff. */
export function principalKind(principal: Principal): PrincipalKind {
  return principal.kind ?? 'staff';
}
