import { Body, Controller, ForbiddenException, HttpCode, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { DeviceService } from '@homeward/core';
import { Public } from '../common/principal.decorator';
import { UsernameThrottlerGuard } from './username-throttler.guard';

export class MqttUserCheckDto {
  @IsString() @MaxLength(256) username!: string;
  @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @IsOptional() @IsString() @MaxLength(256) clientid?: string;
}

export class MqttAclCheckDto {
  @IsString() @MaxLength(256) username!: string;
  @IsString() @MaxLength(1024) topic!: string;
  /** mosquitto-go-auth access: 1 read, 2 write, 3 read and write, 4 subscribe. */
  @IsInt() acc!: number;
  @IsOptional() @IsString() @MaxLength(256) clientid?: string;
}

const deny = () =>
  new ForbiddenException({ statusCode: 403, error: 'Forbidden', code: 'mqtt_denied', message: 'denied' });

/**
 * The deployed broker's authentication backend (mosquitto-go-auth HTTP backend, status mode):
 * 200 allows, 403 denies. The embedded broker asks DeviceService directly, so both enforce
 * the same rules. Serve it only on the internal network.
 */
@ApiExcludeController()
// Limited per username, so guessing one account's password is slow while devices connect freely.
@Public()
@UseGuards(UsernameThrottlerGuard)
@SkipThrottle({ login: true })
@Controller('mqtt/auth')
export class MqttAuthController {
  constructor(private readonly devices: DeviceService) {}

  @Post('user')
  @HttpCode(200)
  async user(@Body() body: MqttUserCheckDto): Promise<{ ok: true }> {
    if (!(await this.devices.authenticateMqtt(body.username, body.password ?? '', body.clientid ?? ''))) throw deny();
    return { ok: true };
  }

  @Post('superuser')
  @HttpCode(200)
  superuser(@Body() body: MqttUserCheckDto): { ok: true } {
    if (!this.devices.isServiceAccount(body.username)) throw deny();
    return { ok: true };
  }

  @Post('acl')
  @HttpCode(200)
  acl(@Body() body: MqttAclCheckDto): { ok: true } {
    const allowed =
      body.acc === 2
        ? this.devices.canPublish(body.username, body.topic)
        : body.acc === 1 || body.acc === 4
          ? this.devices.canSubscribe(body.username, body.topic)
          : this.devices.canPublish(body.username, body.topic) &&
            this.devices.canSubscribe(body.username, body.topic);
    if (!allowed) throw deny();
    return { ok: true };
  }
}
