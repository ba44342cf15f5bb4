import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import {
  EscalationPolicyDto,
  EscalationPolicyResponseDto,
  OnCallRosterDto,
  OnCallRosterInputDto,
  mapPolicy,
  mapRoster,
} from './escalation.dto';
import { EscalationSettingsService } from './escalation-settings.service';

/** Who an unacknowledged critical alert goes to, and when: everyone reads, admins set. */
@ApiTags('escalation')
@ApiBearerAuth()
@Controller()
export class EscalationController {
  constructor(private readonly settings: EscalationSettingsService) {}

  @Get('escalation-policy')
  @ApiOkResponse({
    type: EscalationPolicyResponseDto,
    description: "The organisation's policy, or the defaults",
  })
  async getPolicy(@CurrentPrincipal() principal: Principal): Promise<EscalationPolicyResponseDto> {
    return mapPolicy(await this.settings.getPolicy(principal));
  }

  @Put('escalation-policy')
  @Roles('admin')
  @ApiOkResponse({ type: EscalationPolicyResponseDto })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async setPolicy(
    @CurrentPrincipal() principal: Principal,
    @Body() body: EscalationPolicyDto,
  ): Promise<EscalationPolicyResponseDto> {
    return mapPolicy(await this.settings.setPolicy(principal, body));
  }

  @Get('on-call')
  @ApiOkResponse({ type: OnCallRosterDto })
  async getRoster(@CurrentPrincipal() principal: Principal): Promise<OnCallRosterDto> {
    return mapRoster(await this.settings.getRoster(principal));
  }

  @Put('on-call')
  @Roles('admin')
  @ApiOkResponse({ type: OnCallRosterDto })
  @ApiBadRequestResponse({
    description: 'A shift that ends before it starts, has ended, or lasts over 7 days',
  })
  @ApiNotFoundResponse({ description: 'A user who is not an active member of your organisation' })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async setRoster(
    @CurrentPrincipal() principal: Principal,
    @Body() body: OnCallRosterInputDto,
  ): Promise<OnCallRosterDto> {
    return mapRoster(
      await this.settings.setRoster(
        principal,
        body.shifts.map((shift) => ({
          userId: shift.userId,
          startsAt: new Date(shift.startsAt),
          endsAt: new Date(shift.endsAt),
        })),
      ),
    );
  }
}
