import { Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@homeward/config';
import type { Principal } from '../principal';
import type { OrganizationRow, SessionRow, UserRow } from '../identity.rows';
import { OrganizationService } from '../organizations/organization.service';
import { checkAccessClaims } from '../sessions/access-claims';
import { SessionService, type SessionClient } from '../sessions/session.service';
import { MfaService } from '../mfa/mfa.service';
import { UserService } from '../users/user.service';
import { InvalidCredentialsError, InvalidRefreshTokenError, SessionUserGoneError } from './auth.errors';
import { LoginLockout } from './login-lockout';
import { hashPassword } from './password';
import { PasswordHasher } from './password-hasher';

/** What a sign-in or a refresh answers. */
export interface IssuedTokens {
  accessToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  refreshToken: string;
  principal: Principal;
  sessionId: string;
}

/** A verified access token: who it acts for, in which session, until when. */
export interface VerifiedSession {
  principal: Principal;
  sessionId: string;
  expiresAt: Date;
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified when the email is unknown, so a miss costs as long as a wrong password. */
  private decoyHash = '';

  constructor(
    private readonly users: UserService,
    private readonly organizations: OrganizationService,
    private readonly jwt: JwtService,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
    private readonly mfa: MfaService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await hashPassword('decoy-password-never-matches');
  }

  /** `code`: the authenticator's code or a recovery code, once the user has set one up (MfaService). */
  async login(
    email: string,
    password: string,
    client: SessionClient = {},
    code?: string,
  ): Promise<IssuedTokens> {
    await this.lockout.assertOpen(email);
    const user = await this.users.findByEmail(email);
    const valid = await this.hasher.verify(user?.passwordHash ?? this.decoyHash, password);
    if (!user || !valid || user.disabledAt) {
      await this.lockout.recordFailure(email, user);
      throw new InvalidCredentialsError();
    }
    await this.mfa.checkSignIn(user, email, code);
    await this.lockout.reset(email);
    const principal: Principal = { userId: user.id, organizationId: user.organizationId, role: user.role };
    const { session, refreshToken } = await this.sessions.start(principal, client);
    return {
      ...(await this.issueAccessToken(principal, session)),
      refreshToken,
      principal,
      sessionId: session.id,
    };
  }

  /**
   * Signs in a user whose identity another party proved (an organisation's OpenID Connect
   * provider, which owns the factors): the same session and tokens as `login`, without a password.
   */
  async signInVerified(principal: Principal, client: SessionClient = {}): Promise<IssuedTokens> {
    const { session, refreshToken } = await this.sessions.start(principal, client);
    return {
      ...(await this.issueAccessToken(principal, session)),
      refreshToken,
      principal,
      sessionId: session.id,
    };
  }

  /** Exchanges a refresh token for a new access token and a new refresh token (rotation). */
  async refresh(refreshToken: string, requestId?: string): Promise<IssuedTokens> {
    const result = await this.sessions.rotate(refreshToken, requestId);
    if (!result.ok) throw new InvalidRefreshTokenError();
    const { principal, session } = result;
    return {
      ...(await this.issueAccessToken(principal, session)),
      refreshToken: result.refreshToken,
      principal,
      sessionId: session.id,
    };
  }

  /** Whether the session is still live (not revoked, not expired, its user active). */
  isSessionLive(sessionId: string): Promise<boolean> {
    return this.sessions.isLive(sessionId);
  }

  /** Ends the session the request's token belongs to. */
  logout(principal: Principal, sessionId: string): Promise<void> {
    return this.sessions.end(principal, sessionId);
  }

  /** Ends every session of the principal's user. */
  logoutAll(principal: Principal): Promise<void> {
    return this.sessions.endAll(principal);
  }

  /** An access token for the session, never outliving it. */
  private async issueAccessToken(
    principal: Principal,
    session: SessionRow,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const remaining = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    const expiresIn = Math.max(1, Math.min(this.config.JWT_TTL_SECONDS, remaining));
    const accessToken = await this.jwt.signAsync(
      { sub: principal.userId, org: principal.organizationId, role: principal.role, sid: session.id },
      { expiresIn },
    );
    return { accessToken, expiresIn };
  }

  /** Who a session acts for, and in which organisation: what the console shows once signed in. */
  async currentUser(principal: Principal): Promise<{ user: UserRow; organization: OrganizationRow }> {
    const user = await this.users.findActive(principal);
    const organization = user && (await this.organizations.findById(user.organizationId));
    if (!user || !organization) throw new SessionUserGoneError();
    return { user, organization };
  }

  /** The principal of a valid, unexpired access token of a live session; undefined otherwise. */
  async verify(token: string): Promise<Principal | undefined> {
    return (await this.verifySession(token))?.principal;
  }

  /**
   * As `verify`, with the session and the token's expiry, for connections that outlive a
   * request. HS256 only (`alg: none` and every other algorithm refused), `iss`, `aud`, `exp` and
   * `nbf` checked, and the session must be live: a revoked session's token is refused at once.
   */
  async verifySession(token: string): Promise<VerifiedSession | undefined> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync<object>(token, {
        algorithms: ['HS256'],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
    } catch {
      return undefined;
    }
    const claims = checkAccessClaims(
      payload,
      { issuer: this.config.JWT_ISSUER, audience: this.config.JWT_AUDIENCE },
      Math.floor(Date.now() / 1000),
    );
    if (!claims || !(await this.sessions.isLive(claims.sid))) return undefined;
    return {
      principal: { userId: claims.sub, organizationId: claims.org, role: claims.role },
      sessionId: claims.sid,
      expiresAt: new Date(claims.exp * 1000),
    };
  }
}
