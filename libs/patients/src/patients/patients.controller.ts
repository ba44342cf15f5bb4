import { Body, Controller, Get, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnprocessableEntityResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { CareTeamService, type Principal } from '@homeward/access';
import { PatientService } from './patient.service';
import {
  PatientCareTeamsDto,
  PatientCareTeamsResponseDto,
  PatientContactDto,
  PatientCreateDto,
  PatientListDto,
  PatientListQueryDto,
  PatientResponseDto,
  mapPatient,
} from './patient.dto';

const PatientId = () => UuidParam('patientId');

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientService,
    private readonly careTeams: CareTeamService,
  ) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiCreatedResponse({ type: PatientResponseDto })
  @ApiForbiddenResponse({ description: 'not_care_team_member: a named care team is not one of yours' })
  @ApiNotFoundResponse({ description: 'A named care team is not of your organisation' })
  @ApiUnprocessableEntityResponse({ description: 'no_care_team: you belong to no care team and named none' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PatientCreateDto,
  ): Promise<PatientResponseDto> {
    return mapPatient(await this.patients.create(principal, body));
  }

  @Get()
  @ApiOkResponse({
    type: PatientListDto,
    description:
      "Admins: the organisation's patients. Coordinators and clinicians: those of their care teams",
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PatientListQueryDto,
  ): Promise<PatientListDto> {
    return { items: (await this.patients.list(principal, page)).map(mapPatient) };
  }

  @Get(':patientId')
  @ApiOkResponse({ type: PatientResponseDto })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
  ): Promise<PatientResponseDto> {
    return mapPatient(await this.patients.get(principal, patientId));
  }

  @Patch(':patientId')
  @Roles('admin', 'coordinator', 'clinician')
  @ApiOkResponse({ type: PatientResponseDto, description: 'The patient with its new contact details' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async updateContact(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
    @Body() body: PatientContactDto,
  ): Promise<PatientResponseDto> {
    return mapPatient(await this.patients.updateContact(principal, patientId, body));
  }

  @Put(':patientId/care-teams')
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ type: PatientCareTeamsResponseDto })
  @ApiForbiddenResponse({ description: 'not_care_team_member: coordinators name only teams they belong to' })
  @ApiNotFoundResponse({
    description: 'No such patient in your scope, or no such care team in your organisation',
  })
  async setCareTeams(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
    @Body() body: PatientCareTeamsDto,
  ): Promise<PatientCareTeamsResponseDto> {
    return { careTeamIds: await this.careTeams.setPatientTeams(principal, patientId, body.careTeamIds) };
  }
}
