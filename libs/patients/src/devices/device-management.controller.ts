import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import {
  DeviceDeactivateDto,
  DeviceListDto,
  DeviceListQueryDto,
  DeviceReassignDto,
  DeviceResponseDto,
  DeviceSecretDto,
  mapDevice,
} from './device.dto';
import { DeviceService } from './device.service';

const DeviceId = () => UuidParam('deviceId');

/** The organisation's devices: status, and the changes that cut a device off or move it. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
export class DeviceManagementController {
  constructor(private readonly devices: DeviceService) {}

  @Get()
  @ApiOkResponse({ type: DeviceListDto, description: "The organisation's devices, in registration order" })
  @ApiNotFoundResponse({ description: 'patientId names no patient of your organisation' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DeviceListQueryDto,
  ): Promise<DeviceListDto> {
    const { status, patientId, limit, offset } = query;
    return {
      items: (await this.devices.list(principal, { status, patientId }, { limit, offset })).map(mapDevice),
    };
  }

  @Get(':deviceId')
  @ApiOkResponse({ type: DeviceResponseDto })
  @ApiNotFoundResponse({ description: 'No such device in your organisation' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @DeviceId() deviceId: string,
  ): Promise<DeviceResponseDto> {
    return mapDevice(await this.devices.get(principal, deviceId));
  }

  @Post(':deviceId/deactivate')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOkResponse({
    type: DeviceResponseDto,
    description: 'Disconnected, refused by the broker, nothing it sends is stored',
  })
  @ApiNotFoundResponse({ description: 'No such device in your organisation' })
  @ApiConflictResponse({ description: '`device_already_deactivated`' })
  @ApiServiceUnavailableResponse({ description: '`broker_access_change_failed`: nothing was changed' })
  async deactivate(
    @CurrentPrincipal() principal: Principal,
    @DeviceId() deviceId: string,
    @Body() body: DeviceDeactivateDto,
  ): Promise<DeviceResponseDto> {
    return mapDevice(await this.devices.deactivate(principal, deviceId, body.reason));
  }

  @Post(':deviceId/reactivate')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ type: DeviceResponseDto, description: 'The device may connect with its secret again' })
  @ApiNotFoundResponse({ description: 'No such device in your organisation' })
  @ApiConflictResponse({ description: '`device_already_active`' })
  @ApiServiceUnavailableResponse({ description: '`broker_access_change_failed`: nothing was changed' })
  async reactivate(
    @CurrentPrincipal() principal: Principal,
    @DeviceId() deviceId: string,
  ): Promise<DeviceResponseDto> {
    return mapDevice(await this.devices.reactivate(principal, deviceId));
  }

  @Post(':deviceId/rotate-secret')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOkResponse({
    type: DeviceSecretDto,
    description:
      'The new secret is shown only in this response; the old one stops working and a connected device is disconnected',
  })
  @ApiNotFoundResponse({ description: 'No such device in your organisation' })
  @ApiServiceUnavailableResponse({ description: '`broker_access_change_failed`: the old secret still works' })
  async rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @DeviceId() deviceId: string,
  ): Promise<DeviceSecretDto> {
    const { device, secret, mqttUrl } = await this.devices.rotateSecret(principal, deviceId);
    return { device: mapDevice(device), secret, mqttUrl };
  }

  @Post(':deviceId/reassign')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOkResponse({
    type: DeviceResponseDto,
    description:
      'Stored readings keep their patient; each new one goes to the patient the device was with when it was measured',
  })
  @ApiNotFoundResponse({ description: 'No such device, or no such patient, in your organisation' })
  @ApiConflictResponse({ description: '`device_already_assigned`' })
  async reassign(
    @CurrentPrincipal() principal: Principal,
    @DeviceId() deviceId: string,
    @Body() body: DeviceReassignDto,
  ): Promise<DeviceResponseDto> {
    return mapDevice(await this.devices.reassign(principal, deviceId, body.patientId));
  }
}
