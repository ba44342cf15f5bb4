import { Body, Controller, ForbiddenException, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { InternalOnly, Public } from '@homeward/platform';
import { DeviceService } from './device.service';

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

/** `ok` for go-auth's json response mode, `result` for EMQX's HTTP authenticator. */
interface Allowed {
  ok: true;
  result: 'allow';
}

const allowed: Allowed = { ok: true, result: 'allow' };
const deny = () =>
  new ForbiddenException({
    statusCode: 403,
    error: 'Forbidden',
    code: 'mqtt_denied',
    message: 'denied',
    ok: false,
    result: 'deny',
  });

/**
 * The deployed broker's authentication backend (mosquitto-go-auth HTTP backend, status mode):
 * 200 allows, 403 denies. The embedded broker asks DeviceService directly, so both enforce
 * the same rules, including the client id each credential may use.
 *
 * Served only on the internal listener (BROKER_AUTH_PORT). Deliberately not rate-limited: a
 * limit keyed on the username lets anyone who can reach the broker lock a device, or the
 * ingest service account, out by failing on purpose; device secrets are 256-bit random, so
 * guessing one is hopeless anyway, and the service account's password must be as long.
 */
@ApiExcludeController()
@Public()
@InternalOnly()
@Controller('mqtt/auth')
export class MqttAuthController {
  constructor(private readonly devices: DeviceService) {}

  @Post('user')
  @HttpCode(200)
  async user(@Body() body: MqttUserCheckDto): Promise<Allowed & { is_superuser: boolean }> {
    if (!(await this.devices.authenticateMqtt(body.username, body.password ?? '', body.clientid ?? '')))
      throw deny();
    return { ...allowed, is_superuser: this.devices.isServiceAccount(body.username) };
  }

  @Post('superuser')
  @HttpCode(200)
  superuser(@Body() body: MqttUserCheckDto): Allowed {
    if (!this.devices.isServiceAccount(body.username)) throw deny();
    return allowed;
  }

  @Post('acl')
  @HttpCode(200)
  acl(@Body() body: MqttAclCheckDto): Allowed {
    const permitted =
      body.acc === 2
        ? this.devices.canPublish(body.username, body.topic)
        : body.acc === 1 || body.acc === 4
          ? this.devices.canSubscribe(body.username, body.topic)
          : this.devices.canPublish(body.username, body.topic) &&
            this.devices.canSubscribe(body.username, body.topic);
    if (!permitted) throw deny();
    return allowed;
  }
}
