import { Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { UserRole } from '@homeward/contracts';
import type { Principal } from '../access/principal';
import type { OrganizationRow, UserRow } from '../identity.rows';
import { OrganizationService } from '../organizations/organization.service';
import { UserService } from '../users/user.service';
import { InvalidCredentialsError, SessionUserGoneError } from './auth.errors';
import { LoginLockout } from './login-lockout';
import { hashPassword } from './password';
import { PasswordHasher } from './password-hasher';

interface AccessTokenClaims {
  sub: string;
  org: string;
  role: UserRole;
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified when the email is unknown, so a miss costs as long as a wrong password. */
  private decoyHash = '';

  constructor(
    private readonly users: UserService,
    private readonly organizations: OrganizationService,
    private readonly jwt: JwtService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await hashPassword('decoy-password-never-matches');
  }

  async login(
    email: string,
    password: string,
  ): Promise<{ accessToken: string; expiresIn: number; principal: Principal }> {
    await this.lockout.assertOpen(email);
    const user = await this.users.findByEmail(email);
    const valid = await this.hasher.verify(user?.passwordHash ?? this.decoyHash, password);
    if (!user || !valid || user.disabledAt) {
      await this.lockout.recordFailure(email, user);
      throw new InvalidCredentialsError();
    }
    await this.lockout.reset(email);
    const principal: Principal = { userId: user.id, organizationId: user.organizationId, role: user.role };
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, role: user.role };
    const accessToken = await this.jwt.signAsync(claims);
    const decoded = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { accessToken, expiresIn: decoded.exp - decoded.iat, principal };
  }

  /** Who a session acts for, and in which organisation: what the console shows once signed in. */
  async currentUser(principal: Principal): Promise<{ user: UserRow; organization: OrganizationRow }> {
    const user = await this.users.findActive(principal);
    const organization = user && (await this.organizations.findById(user.organizationId));
    if (!user || !organization) throw new SessionUserGoneError();
    return { user, organization };
  }

  /** The principal of a valid, unexpired access token; undefined otherwise. */
  async verify(token: string): Promise<Principal | undefined> {
    return (await this.verifySession(token))?.principal;
  }

  /** As `verify`, with the token's expiry, for connections that outlive a request. */
  async verifySession(token: string): Promise<{ principal: Principal; expiresAt: Date } | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims & { exp: number }>(token, {
        algorithms: ['HS256'],
      });
      if (!claims.sub || !claims.org || !claims.role || !claims.exp) return undefined;
      return {
        principal: { userId: claims.sub, organizationId: claims.org, role: claims.role },
        expiresAt: new Date(claims.exp * 1000),
      };
    } catch {
      return undefined;
    }
  }
}
