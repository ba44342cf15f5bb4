import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { PatientService } from './patient.service';
import {
  PageQueryDto,
  PatientContactDto,
  PatientCreateDto,
  PatientListDto,
  PatientResponseDto,
  mapPatient,
} from './patient.dto';

const PatientId = () => UuidParam('patientId');

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientService) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiCreatedResponse({ type: PatientResponseDto })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PatientCreateDto,
  ): Promise<PatientResponseDto> {
    return mapPatient(await this.patients.create(principal, body));
  }

  @Get()
  @ApiOkResponse({ type: PatientListDto, description: "The organisation's patients" })
  async list(@CurrentPrincipal() principal: Principal, @Query() page: PageQueryDto): Promise<PatientListDto> {
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
}
