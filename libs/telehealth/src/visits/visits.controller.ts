import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import { VisitJoinService } from '../links/visit-join.service';
import {
  GuestLinkCreateDto,
  GuestLinkDto,
  VideoConfigDto,
  VisitCreateDto,
  VisitCreatedDto,
  VisitDetailDto,
  VisitJoinDto,
  VisitLinkDto,
  VisitListDto,
  VisitListQueryDto,
  VisitNotesDto,
  VisitSummaryDto,
  mapVisitDetail,
  mapVisitSummary,
} from './visit.dto';
import { VisitService } from './visit.service';

const VisitId = () => UuidParam('visitId');
const NOT_CONFIGURED = {
  description: '`video_not_configured` (LIVEKIT_* unset) or `video_unavailable` (LiveKit did not answer)',
};
const NOT_FOUND = { description: 'No such visit in your organisation' };

@ApiTags('visits')
@ApiBearerAuth()
@ApiServiceUnavailableResponse(NOT_CONFIGURED)
@Controller('visits')
export class VisitsController {
  constructor(
    private readonly visits: VisitService,
    private readonly joins: VisitJoinService,
  ) {}

  @Get('config')
  @ApiOkResponse({ type: VideoConfigDto, description: 'Whether video visits can be used here' })
  config(): VideoConfigDto {
    return { configured: this.visits.configured };
  }

  @Post()
  @Roles('clinician', 'coordinator')
  @ApiCreatedResponse({
    type: VisitCreatedDto,
    description: "The visit, its room created, and the patient's link",
  })
  @ApiForbiddenResponse({ description: 'Administrators do not start visits' })
  @ApiNotFoundResponse({ description: 'No such patient (or alert of that patient) in your organisation' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: VisitCreateDto,
  ): Promise<VisitCreatedDto> {
    const { visit, patientLink } = await this.visits.create(principal, body);
    return {
      ...mapVisitSummary(visit),
      patientLink: { url: patientLink.url, expiresAt: patientLink.expiresAt.toISOString() },
    };
  }

  @Get()
  @ApiOkResponse({ type: VisitListDto, description: 'Newest first' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: VisitListQueryDto,
  ): Promise<VisitListDto> {
    const rows = await this.visits.list(principal, {
      patientId: query.patientId,
      alertId: query.alertId,
      status: query.status,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(mapVisitSummary) };
  }

  @Get(':visitId')
  @ApiOkResponse({ type: VisitDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@CurrentPrincipal() principal: Principal, @VisitId() visitId: string): Promise<VisitDetailDto> {
    const { visit, participants } = await this.visits.get(principal, visitId);
    return mapVisitDetail(visit, participants);
  }

  @Post(':visitId/join')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({ type: VisitJoinDto, description: 'A short-lived LiveKit token for this room only' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`visit_closed`: the visit has ended' })
  async join(@CurrentPrincipal() principal: Principal, @VisitId() visitId: string): Promise<VisitJoinDto> {
    const joined = await this.joins.joinAsStaff(principal, visitId);
    return { url: joined.url, token: joined.token, expiresAt: joined.expiresAt.toISOString() };
  }

  @Post(':visitId/end')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({
    type: VisitSummaryDto,
    description: 'Everyone removed, the room deleted, the visit completed',
  })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`visit_closed`' })
  async end(@CurrentPrincipal() principal: Principal, @VisitId() visitId: string): Promise<VisitSummaryDto> {
    return mapVisitSummary(await this.visits.end(principal, visitId));
  }

  @Post(':visitId/cancel')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({ type: VisitSummaryDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`visit_closed`: only a visit not yet in progress can be cancelled' })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @VisitId() visitId: string,
  ): Promise<VisitSummaryDto> {
    return mapVisitSummary(await this.visits.cancel(principal, visitId));
  }

  @Post(':visitId/notes')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({ type: VisitSummaryDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async notes(
    @CurrentPrincipal() principal: Principal,
    @VisitId() visitId: string,
    @Body() body: VisitNotesDto,
  ): Promise<VisitSummaryDto> {
    return mapVisitSummary(await this.visits.setNotes(principal, visitId, body.text));
  }

  @Post(':visitId/patient-link')
  @Roles('clinician', 'coordinator')
  @ApiCreatedResponse({
    type: VisitLinkDto,
    description: 'A new link for the patient; earlier unused ones stop working',
  })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`visit_closed`' })
  async patientLink(
    @CurrentPrincipal() principal: Principal,
    @VisitId() visitId: string,
  ): Promise<VisitLinkDto> {
    const link = await this.visits.issueLinkFor(principal, visitId, 'patient', null);
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  @Post(':visitId/guest-links')
  @Roles('clinician', 'coordinator')
  @ApiCreatedResponse({
    type: GuestLinkDto,
    description: 'A one-time link for an interpreter or a family caregiver',
  })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`visit_closed`' })
  async guestLink(
    @CurrentPrincipal() principal: Principal,
    @VisitId() visitId: string,
    @Body() body: GuestLinkCreateDto,
  ): Promise<GuestLinkDto> {
    const label = body.label.trim();
    const link = await this.visits.issueLinkFor(principal, visitId, 'guest', label);
    return { url: link.url, expiresAt: link.expiresAt.toISOString(), label };
  }
}
