import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { readingsTopic } from '@homeward/contracts';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { DeviceCreateDto, DeviceListDto, DeviceRegisteredDto, mapDevice } from './device.dto';
import { DeviceService } from './device.service';

const PatientId = () => UuidParam('patientId');

/** A patient's devices: registration hands out the device's secret once. */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class DevicesController {
  constructor(private readonly devices: DeviceService) {}

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
  @ApiOkResponse({ type: DeviceListDto })
  async listDevices(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
  ): Promise<DeviceListDto> {
    // A patient has a handful of devices: one page holds them all.
    const devices = await this.devices.list(principal, { patientId }, { limit: 500, offset: 0 });
    return { items: devices.map(mapDevice) };
  }
}
