import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DeviceService, PatientService, VitalsService, type Principal } from '@homeward/core';
import { readingsTopic } from '@homeward/contracts';
import { CurrentPrincipal, Roles } from '../common/principal.decorator';
import {
  DeviceCreateDto,
  DeviceRegisteredDto,
  DeviceResponseDto,
  PageQueryDto,
  PatientCreateDto,
  PatientResponseDto,
  VitalListDto,
  VitalsQueryDto,
  mapDevice,
  mapPatient,
  mapVital,
} from './patient.dto';

const PatientId = () => Param('patientId', new ParseUUIDPipe({ version: '4' }));

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientService,
    private readonly devices: DeviceService,
    private readonly vitals: VitalsService,
  ) {}

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
  @ApiOkResponse({ description: "The organisation's patients" })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<{ items: PatientResponseDto[] }> {
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

  @Post(':patientId/devices')
  @Roles('admin', 'coordinator')
  @ApiCreatedResponse({ type: DeviceRegisteredDto, description: 'The secret is shown only in this response' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async registerDevice(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
    @Body() body: DeviceCreateDto,
  ): Promise<DeviceRegisteredDto> {
    const { device, secret, mqttUrl } = await this.devices.register(principal, patientId, body);
    return { ...mapDevice(device), secret, mqttUrl, topic: readingsTopic(device.id) };
  }

  @Get(':patientId/devices')
  @ApiOkResponse({ type: [DeviceResponseDto] })
  async listDevices(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
  ): Promise<{ items: DeviceResponseDto[] }> {
    return { items: (await this.devices.listForPatient(principal, patientId)).map(mapDevice) };
  }

  @Get(':patientId/vitals')
  @ApiOkResponse({ type: VitalListDto, description: 'Readings, newest first' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async listVitals(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
    @Query() query: VitalsQueryDto,
  ): Promise<VitalListDto> {
    const rows = await this.vitals.list(principal, patientId, {
      type: query.type,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    return { items: rows.map(mapVital) };
  }
}
