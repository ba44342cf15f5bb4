import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { BreakGlassService, type Principal } from '@homeward/access';
import { PageQueryDto } from '../patients/patient.dto';
import {
  BreakGlassCreateDto,
  BreakGlassGrantDto,
  BreakGlassListDto,
  mapBreakGlassGrant,
  mapBreakGlassListItem,
} from './break-glass.dto';

@ApiTags('patients')
@ApiBearerAuth()
@Controller()
export class BreakGlassController {
  constructor(private readonly breakGlass: BreakGlassService) {}

  @Post('patients/:patientId/break-glass')
  @Roles('clinician')
  @ApiCreatedResponse({
    type: BreakGlassGrantDto,
    description:
      "Access to a patient outside your care teams until expiresAt; audited with the reason and announced to the patient's care team",
  })
  @ApiBadRequestResponse({ description: 'A reason of 1 to 2000 characters is required' })
  @ApiForbiddenResponse({ description: 'Clinicians only' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async grant(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Body() body: BreakGlassCreateDto,
  ): Promise<BreakGlassGrantDto> {
    return mapBreakGlassGrant(await this.breakGlass.grant(principal, patientId, body.reason));
  }

  @Get('admin/break-glass')
  @Roles('admin')
  @ApiOkResponse({
    type: BreakGlassListDto,
    description: "The organisation's break-glass grants, newest first",
  })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<BreakGlassListDto> {
    return { items: (await this.breakGlass.list(principal, page)).map(mapBreakGlassListItem) };
  }
}
