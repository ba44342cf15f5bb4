import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentPrincipal, Roles } from '../auth/principal.decorator';
import {
  InvitationDto,
  mapInvitation,
  mapUser,
  mapUserListItem,
  mapUserSummary,
  UserCreateDto,
  UserCreatedDto,
  UserDto,
  UserPageDto,
  UserPageQueryDto,
  UserUpdateDto,
} from './user.dto';
import { UserAdminService } from './user-admin.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  @ApiOkResponse({
    type: UserPageDto,
    description: 'Admins: every user of the organisation. Others: its active users, for assigning work',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UserPageQueryDto,
  ): Promise<UserPageDto> {
    const { rows, total } = await this.users.list(principal, query);
    // A colleague sees names and roles only: email and account state are the admins' business.
    return {
      items: rows.map(principal.role === 'admin' ? mapUserListItem : mapUserSummary),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({
    type: UserCreatedDto,
    description: 'The user, and the invitation link emailed to them',
  })
  @ApiConflictResponse({ description: 'email_taken' })
  @ApiNotFoundResponse({ description: 'A named care team is not of your organisation' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UserCreateDto,
  ): Promise<UserCreatedDto> {
    const { user, invitation } = await this.users.invite(principal, {
      email: body.email,
      displayName: body.name,
      role: body.role,
      careTeamIds: body.careTeamIds,
    });
    return { id: user.id, invitation: mapInvitation(invitation) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'No such user in your organisation' })
  async get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<UserDto> {
    return mapUser(await this.users.get(principal, id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'last_admin: the organisation would have no active admin' })
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UserUpdateDto,
  ): Promise<UserDto> {
    return mapUser(await this.users.update(principal, id, { role: body.role, displayName: body.name }));
  }

  @Post(':id/invitation')
  @Roles('admin')
  @HttpCode(201)
  @ApiCreatedResponse({ type: InvitationDto, description: 'A new link; the previous one no longer works' })
  @ApiConflictResponse({ description: 'user_disabled' })
  async reissue(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<InvitationDto> {
    return mapInvitation(await this.users.reissueInvitation(principal, id));
  }

  @Post(':id/disable')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto, description: "Disabled; the user's sessions end at once" })
  @ApiConflictResponse({ description: 'last_admin: the organisation would have no active admin' })
  async disable(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<UserDto> {
    return mapUser(await this.users.disable(principal, id));
  }

  @Post(':id/enable')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  async enable(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<UserDto> {
    return mapUser(await this.users.enable(principal, id));
  }
}
