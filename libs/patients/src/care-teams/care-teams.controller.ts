import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CareTeamService, type Principal } from '@homeward/access';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { UuidParam } from '@homeward/platform';
import {
  CareTeamCreateDto,
  CareTeamDto,
  CareTeamListDto,
  mapCareTeam,
  mapCareTeamListItem,
} from './care-team.dto';

@ApiTags('care-teams')
@ApiBearerAuth()
@Controller('care-teams')
export class CareTeamsController {
  constructor(private readonly careTeams: CareTeamService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: CareTeamDto })
  @ApiConflictResponse({ description: 'care_team_name_taken' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CareTeamCreateDto,
  ): Promise<CareTeamDto> {
    return mapCareTeam(await this.careTeams.create(principal, body.name));
  }

  @Get()
  @ApiOkResponse({
    type: CareTeamListDto,
    description: "The organisation's care teams, with their members and how many patients each holds",
  })
  async list(@CurrentPrincipal() principal: Principal): Promise<CareTeamListDto> {
    return { items: (await this.careTeams.list(principal)).map(mapCareTeamListItem) };
  }

  @Patch(':careTeamId')
  @Roles('admin')
  @ApiOkResponse({ type: CareTeamDto, description: 'The team with its new name' })
  @ApiNotFoundResponse({ description: 'No such care team in your organisation' })
  @ApiConflictResponse({ description: 'care_team_name_taken' })
  async rename(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('careTeamId') careTeamId: string,
    @Body() body: CareTeamCreateDto,
  ): Promise<CareTeamDto> {
    return mapCareTeam(await this.careTeams.rename(principal, careTeamId, body.name));
  }

  @Delete(':careTeamId')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: "Deleted with its memberships; its former members' live alert sockets reconnect",
  })
  @ApiNotFoundResponse({ description: 'No such care team in your organisation' })
  @ApiConflictResponse({ description: 'care_team_not_empty: move its patients to another team first' })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('careTeamId') careTeamId: string,
  ): Promise<void> {
    await this.careTeams.delete(principal, careTeamId);
  }

  @Put(':careTeamId/members/:userId')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: "A member (already one or not); the user's live alert sockets join the team's room",
  })
  @ApiNotFoundResponse({ description: 'No such care team or user in your organisation' })
  async addMember(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('careTeamId') careTeamId: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    await this.careTeams.addMember(principal, careTeamId, userId);
  }

  @Delete(':careTeamId/members/:userId')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({
    description:
      "No longer a member; the user's live alert sockets are closed, to reconnect with their new scope",
  })
  @ApiNotFoundResponse({ description: 'No such care team or user in your organisation' })
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('careTeamId') careTeamId: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    await this.careTeams.removeMember(principal, careTeamId, userId);
  }
}
