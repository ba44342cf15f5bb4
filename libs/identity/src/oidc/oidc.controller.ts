import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig, publicUrl } from '@homeward/config';
import { Public } from '@homeward/platform';
import { clientOf, mapTokens } from '../auth/auth.controller';
import { LoginResponseDto } from '../auth/auth.dto';
import { OidcExchangeDto, OidcStartQueryDto } from './oidc.dto';
import { cookieValue, STATE_TTL_SECONDS } from './oidc-sign-in.rules';
import { OidcSignInService } from './oidc-sign-in.service';

/** Holds the state in the browser that started the sign-in; sent back only to the callback. */
const STATE_COOKIE = 'homeward_oidc_state';
const COOKIE_PATH = '/api/auth/oidc/callback';

@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly sso: OidcSignInService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('start')
  // Limited per address as login is: each start stores a state for ten minutes.
  @UseGuards(ThrottlerGuard)
  @ApiTooManyRequestsResponse({ description: 'Too many sign-ins from this address' })
  @ApiFoundResponse({
    description:
      "To the organisation's provider; or to the console with `#sso_error=sso_not_configured` or `sso_provider_error`",
  })
  async start(@Query() query: OidcStartQueryDto, @Res() response: Response): Promise<void> {
    const { redirectTo, state } = await this.sso.start(query.organization);
    if (state)
      response.cookie(STATE_COOKIE, state, {
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level cross-site navigation.
        sameSite: 'lax',
        secure: publicUrl(this.config).startsWith('https:'),
        path: COOKIE_PATH,
        maxAge: STATE_TTL_SECONDS * 1000,
      });
    response.redirect(302, redirectTo);
  }

  @Public()
  @Get('callback')
  // Each callback is audited, refusals included: limited per address so nobody floods the trail.
  @UseGuards(ThrottlerGuard)
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'error', required: false })
  @ApiTooManyRequestsResponse({ description: 'Too many sign-ins from this address' })
  @ApiFoundResponse({
    description:
      'To the console with `#sso_code=…` (one-time, a minute) or `#sso_error=…` (sso_invalid_state, sso_provider_error, sso_email_unverified, sso_domain_not_allowed, sso_no_account, sso_not_configured)',
  })
  // The provider adds parameters of its own (iss, session_state, scope): no DTO, the client reads the URL.
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { search } = new URL(request.originalUrl, 'http://callback.invalid');
    const state = new URLSearchParams(search).get('state') ?? undefined;
    const redirectTo = await this.sso.callback({
      url: new URL(`${COOKIE_PATH}${search}`, publicUrl(this.config)),
      state,
      browserState: cookieValue(request.headers.cookie, STATE_COOKIE),
      requestId: typeof request.id === 'string' ? request.id : undefined,
    });
    response.clearCookie(STATE_COOKIE, { path: COOKIE_PATH });
    response.redirect(302, redirectTo);
  }

  @Public()
  @Post('exchange')
  @HttpCode(200)
  // Not throttled per address, as refresh: a code has 256 random bits and lives a minute.
  @ApiOkResponse({ type: LoginResponseDto, description: 'The session, as POST /api/auth/login answers it' })
  @ApiUnauthorizedResponse({ description: 'invalid_sso_code: unknown, used or expired code' })
  async exchange(@Body() body: OidcExchangeDto, @Req() request: Request): Promise<LoginResponseDto> {
    return mapTokens(await this.sso.exchange(body.code, clientOf(request)));
  }
}
