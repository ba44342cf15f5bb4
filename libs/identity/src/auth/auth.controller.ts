import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentUserDto, mapCurrentUser } from '../users/user.dto';
import { AuthService, type IssuedTokens } from './auth.service';
import { CurrentPrincipal, CurrentSessionId } from './principal.decorator';
import { LoginDto, LoginResponseDto, RefreshDto } from './auth.dto';

export interface ClientRequest {
  ip?: string;
  id?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export function clientOf(request: ClientRequest): { userAgent: string | null; ipAddress: string | null } {
  const agent = request.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : null, ipAddress: request.ip ?? null };
}

export function mapTokens(tokens: IssuedTokens): LoginResponseDto {
  const { principal } = tokens;
  return {
    accessToken: tokens.accessToken,
    expiresIn: tokens.expiresIn,
    refreshToken: tokens.refreshToken,
    user: { id: principal.userId, organizationId: principal.organizationId, role: principal.role },
  };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({
    description:
      'invalid_credentials (unknown email, wrong password, or wrong or replayed authentication code); ' +
      'mfa_required (send `code`); mfa_enrollment_required, with an `enrollmentToken` for /api/auth/mfa/enroll and /confirm',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  async login(@Body() body: LoginDto, @Req() request: ClientRequest): Promise<LoginResponseDto> {
    return mapTokens(await this.auth.login(body.email, body.password, clientOf(request), body.code));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  // Not throttled per address: a refresh token has 256 random bits, nothing to guess, and a
  // practice behind one address refreshes for every user it has.
  @ApiOkResponse({ type: LoginResponseDto, description: 'A new access token and a new refresh token' })
  @ApiUnauthorizedResponse({
    description: 'Unknown, expired or replaced refresh token, a revoked session or a disabled account',
  })
  async refresh(@Body() body: RefreshDto, @Req() request: ClientRequest): Promise<LoginResponseDto> {
    return mapTokens(
      await this.auth.refresh(body.refreshToken, typeof request.id === 'string' ? request.id : undefined),
    );
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session ended: its tokens and sockets no longer work' })
  @ApiUnauthorizedResponse({ description: 'No valid session' })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @CurrentSessionId() sessionId: string,
  ): Promise<void> {
    await this.auth.logout(principal, sessionId);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: 'Every session of the user ended, this one included, and their sockets closed',
  })
  @ApiUnauthorizedResponse({ description: 'No valid session' })
  async logoutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logoutAll(principal);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: CurrentUserDto, description: 'The signed-in user, their role and organisation' })
  @ApiUnauthorizedResponse({ description: 'No valid session, or the account was disabled' })
  async me(@CurrentPrincipal() principal: Principal): Promise<CurrentUserDto> {
    const { user, organization } = await this.auth.currentUser(principal);
    return mapCurrentUser(user, organization);
  }
}
