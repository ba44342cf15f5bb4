export * from './access-policy';
export * from './access.module';
export * from './patient-scope';
// Authentication (identity) establishes the principal; access is where the domains read it from.
export type { Principal, PrincipalKind, StaffPrincipal } from '@homeward/identity';
