import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@homeward/config';
import { USER_ROLES, type UserRole } from '@homeward/contracts';
import type { Principal } from '../principal';

/** Ten minutes to scan a QR code and type one code. */
export const ENROLLMENT_TOKEN_TTL_SECONDS = 600;
const PURPOSE = 'mfa_enrollment';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EnrollmentClaims {
  userId: string;
  organizationId: string;
  role: UserRole;
}

/**
 * What a correct password earns when the organisation requires a second factor the user has not
 * set up: a short-lived JWT for the enrolment routes only. Its audience is not the API's, so the
 * access-token verifier (every other route, the sockets) refuses it; it has no session to refresh.
 */
@Injectable()
export class EnrollmentTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async issue(principal: Principal): Promise<{ token: string; expiresIn: number }> {
    const token = await this.jwt.signAsync(
      { sub: principal.userId, org: principal.organizationId, role: principal.role, purpose: PURPOSE },
      { audience: this.audience(), expiresIn: ENROLLMENT_TOKEN_TTL_SECONDS },
    );
    return { token, expiresIn: ENROLLMENT_TOKEN_TTL_SECONDS };
  }

  async verify(token: string): Promise<EnrollmentClaims | undefined> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: this.config.JWT_ISSUER,
        audience: this.audience(),
      });
    } catch {
      return undefined;
    }
    const { sub, org, role, purpose, exp } = payload;
    if (purpose !== PURPOSE || typeof exp !== 'number') return undefined;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof org !== 'string' || !UUID.test(org))
      return undefined;
    if (typeof role !== 'string' || !(USER_ROLES as readonly string[]).includes(role)) return undefined;
    return { userId: sub, organizationId: org, role: role as UserRole };
  }

  private audience(): string {
    return `${this.config.JWT_AUDIENCE}:mfa-enrollment`;
  }
}
