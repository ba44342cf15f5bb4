import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentPrincipal, CurrentSessionId } from '../auth/principal.decorator';
import { InvitationService } from './invitation.service';
import { InvitationAcceptDto, InvitationAcceptedDto, PasswordChangeDto } from './user.dto';
import { UserAdminService } from './user-admin.service';

/** A person's own account: accepting an invitation (signed out) and changing their password. */
@ApiTags('auth')
@Controller('auth')
export class AccountController {
  constructor(
    private readonly invitations: InvitationService,
    private readonly users: UserAdminService,
  ) {}

  @Public()
  @Post('invitations/accept')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOkResponse({ type: InvitationAcceptedDto, description: 'Password set; sign in with this email' })
  @ApiBadRequestResponse({ description: 'weak_password, with the reason' })
  @ApiNotFoundResponse({ description: 'invitation_not_found' })
  @ApiGoneResponse({ description: 'invitation_used or invitation_expired' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  async accept(@Body() body: InvitationAcceptDto): Promise<InvitationAcceptedDto> {
    const user = await this.invitations.accept(body.code, body.password);
    return { email: user.email };
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Changed; your other sessions are signed out' })
  @ApiBadRequestResponse({ description: 'wrong_password, or weak_password with the reason' })
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @CurrentSessionId() sessionId: string,
    @Body() body: PasswordChangeDto,
  ): Promise<void> {
    await this.users.changePassword(principal, sessionId, body.currentPassword, body.newPassword);
  }
}
