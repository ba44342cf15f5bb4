import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { MfaAccessGuard } from './mfa-access.guard';
import { MfaConfirmDto, MfaEnrollmentDto, MfaRecoveryCodesDto, MfaStatusDto } from './mfa.dto';
import { MfaService } from './mfa.service';

/** A person's own authenticator app (TOTP): status, setting it up and confirming it. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Get()
  @ApiOkResponse({ type: MfaStatusDto })
  status(@CurrentPrincipal() principal: Principal): Promise<MfaStatusDto> {
    return this.mfa.status(principal);
  }

  // Public for the global guard only: MfaAccessGuard takes an access token or an enrollment token.
  @Public()
  @UseGuards(MfaAccessGuard)
  @Post('enroll')
  @HttpCode(200)
  @ApiOkResponse({
    type: MfaEnrollmentDto,
    description: 'A new secret, pending until confirmed; a second call replaces an unconfirmed one',
  })
  @ApiUnauthorizedResponse({ description: 'Neither a valid access token nor a valid enrollment token' })
  @ApiConflictResponse({ description: 'mfa_already_enrolled: an admin resets it' })
  enroll(@CurrentPrincipal() principal: Principal): Promise<MfaEnrollmentDto> {
    return this.mfa.enroll(principal);
  }

  @Public()
  @UseGuards(MfaAccessGuard)
  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({
    type: MfaRecoveryCodesDto,
    description: 'Confirmed: sign-in now asks for a code. The recovery codes are shown only now',
  })
  @ApiUnauthorizedResponse({ description: 'Neither a valid access token nor a valid enrollment token' })
  @ApiBadRequestResponse({ description: 'invalid_mfa_code' })
  @ApiConflictResponse({ description: 'mfa_not_pending: enroll first' })
  async confirm(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MfaConfirmDto,
  ): Promise<MfaRecoveryCodesDto> {
    return { recoveryCodes: await this.mfa.confirm(principal, body.code) };
  }
}
