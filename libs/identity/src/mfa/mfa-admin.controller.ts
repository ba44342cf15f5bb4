import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentPrincipal, Roles } from '../auth/principal.decorator';
import { mapOrganizationSettings, OrganizationSettingsDto, OrganizationSettingsUpdateDto } from './mfa.dto';
import { MfaService } from './mfa.service';

/** Admins: the organisation's second-factor requirement, and resetting a user's authenticator. */
@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class MfaAdminController {
  constructor(private readonly mfa: MfaService) {}

  @Post('users/:id/mfa/reset')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: "The user's authenticator and recovery codes are gone and their sessions ended",
  })
  @ApiNotFoundResponse({ description: 'No such user in your organisation' })
  async reset(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<void> {
    await this.mfa.reset(principal, id);
  }

  @Get('admin/organization')
  @Roles('admin')
  @ApiOkResponse({ type: OrganizationSettingsDto })
  async settings(@CurrentPrincipal() principal: Principal): Promise<OrganizationSettingsDto> {
    return mapOrganizationSettings(await this.mfa.organizationSettings(principal));
  }

  @Patch('admin/organization')
  @Roles('admin')
  @ApiOkResponse({
    type: OrganizationSettingsDto,
    description: 'Requiring MFA signs out every user without a confirmed authenticator',
  })
  @ApiConflictResponse({ description: 'mfa_not_enrolled: set up your own authenticator first' })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Body() body: OrganizationSettingsUpdateDto,
  ): Promise<OrganizationSettingsDto> {
    return mapOrganizationSettings(await this.mfa.setRequirement(principal, body.mfaRequired));
  }
}
