import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { DeviceContactListDto, mapDeviceContact } from './device-contact.dto';
import { DeviceContactService } from './device-contact.service';
import { VitalListDto, VitalsQueryDto, mapVital } from './vital.dto';
import { VitalsService } from './vitals.service';

const PatientId = () => UuidParam('patientId');

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class VitalsController {
  constructor(
    private readonly vitals: VitalsService,
    private readonly deviceContacts: DeviceContactService,
  ) {}

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

  @Get(':patientId/devices/contact')
  @ApiOkResponse({
    type: DeviceContactListDto,
    description: "The patient's devices (as GET …/devices) with when each was last heard from",
  })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async listDeviceContacts(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
  ): Promise<DeviceContactListDto> {
    return { items: (await this.deviceContacts.listForPatient(principal, patientId)).map(mapDeviceContact) };
  }
}
