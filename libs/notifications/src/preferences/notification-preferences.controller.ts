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
import { UuidParam } from '@homeward/platform';
import {
  NotificationPreferencesDto,
  NotificationPreferencesInputDto,
  mapPreferences,
} from './notification-preferences.dto';
import { NotificationPreferencesService } from './notification-preferences.service';

/** How escalations reach a user whose console is closed: each user sets their own, admins anyone's in their organisation. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('users')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async getOwn(@CurrentPrincipal() principal: Principal): Promise<NotificationPreferencesDto> {
    return mapPreferences(await this.preferences.get(principal, principal.userId));
  }

  @Put('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiBadRequestResponse({
    description: 'A number not in E.164 form, a channel not enabled, SMS without a number',
  })
  async setOwn(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NotificationPreferencesInputDto,
  ): Promise<NotificationPreferencesDto> {
    return mapPreferences(await this.preferences.set(principal, principal.userId, body));
  }

  @Get(':userId/notification-preferences')
  @Roles('admin')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiForbiddenResponse({ description: 'Admins only' })
  @ApiNotFoundResponse({ description: 'Not an active user of your organisation' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('userId') userId: string,
  ): Promise<NotificationPreferencesDto> {
    return mapPreferences(await this.preferences.get(principal, userId));
  }

  @Put(':userId/notification-preferences')
  @Roles('admin')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiForbiddenResponse({ description: 'Admins only' })
  @ApiNotFoundResponse({ description: 'Not an active user of your organisation' })
  async set(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('userId') userId: string,
    @Body() body: NotificationPreferencesInputDto,
  ): Promise<NotificationPreferencesDto> {
    return mapPreferences(await this.preferences.set(principal, userId, body));
  }
}
