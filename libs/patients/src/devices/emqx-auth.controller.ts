import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { devicePublishTopics, deviceSubscribeFilter } from '@homeward/contracts';
import { InternalOnly, Public } from '@homeward/platform';
import { DeviceService } from './device.service';

/** EMQX 5 HTTP authentication request body: `{"username":"${username}","password":"${password}","clientid":"${clientid}"}`. */
export class EmqxAuthenticationDto {
  @IsString() @MaxLength(256) username!: string;
  @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @IsOptional() @IsString() @MaxLength(256) clientid?: string;
}

/** EMQX 5 HTTP authorisation request body: `{"username":"${username}","clientid":"${clientid}","topic":"${topic}","action":"${action}"}`. */
export class EmqxAuthorizationDto {
  @IsString() @MaxLength(256) username!: string;
  @IsOptional() @IsString() @MaxLength(256) clientid?: string;
  @IsString() @MaxLength(1024) topic!: string;
  @IsIn(['publish', 'subscribe', 'all']) action!: 'publish' | 'subscribe' | 'all';
}

/** A client-level ACL rule in an EMQX (5.8 and later) authentication answer. */
interface EmqxAclRule {
  permission: 'allow' | 'deny';
  action: 'publish' | 'subscribe' | 'all';
  topic: string;
}

type EmqxVerdict = { result: 'allow' | 'deny' };

/**
 * The broker callbacks in EMQX 5's HTTP authentication and authorisation form, beside
 * mosquitto-go-auth's (MqttAuthController), with the same rules (DeviceService). EMQX reads any
 * status but 200/204 as "ignore" and, with its default `no_match = allow`, would then let the
 * client through: so a denial here is a 200 whose body says `deny`, never a 4xx.
 *
 * Served only on the internal listener (BROKER_AUTH_PORT), like the go-auth callbacks.
 */
@ApiExcludeController()
@Public()
@InternalOnly()
@Controller('mqtt/emqx')
export class EmqxAuthController {
  constructor(private readonly devices: DeviceService) {}

  /**
   * A device's answer carries its ACL (EMQX 5.8 and later apply it before any authorisation
   * source), ending in deny-all, so the broker needs no authorisation call per publish.
   */
  @Post('authn')
  @HttpCode(200)
  async authenticate(
    @Body() body: EmqxAuthenticationDto,
  ): Promise<EmqxVerdict | (EmqxVerdict & { is_superuser: boolean; acl?: EmqxAclRule[] })> {
    if (!(await this.devices.authenticateMqtt(body.username, body.password ?? '', body.clientid ?? '')))
      return { result: 'deny' };
    if (this.devices.isServiceAccount(body.username)) return { result: 'allow', is_superuser: true };
    const deviceId = body.username.toLowerCase();
    return { result: 'allow', is_superuser: false, acl: deviceAcl(deviceId) };
  }

  @Post('authz')
  @HttpCode(200)
  authorize(@Body() body: EmqxAuthorizationDto): EmqxVerdict {
    const publish = () => this.devices.canPublish(body.username, body.topic);
    const subscribe = () => this.devices.canSubscribe(body.username, body.topic);
    const permitted =
      body.action === 'publish'
        ? publish()
        : body.action === 'subscribe'
          ? subscribe()
          : publish() && subscribe();
    return { result: permitted ? 'allow' : 'deny' };
  }
}

/** What a device may do, in EMQX's client ACL form; everything else is denied. */
export function deviceAcl(deviceId: string): EmqxAclRule[] {
  return [
    ...devicePublishTopics(deviceId).map((topic): EmqxAclRule => ({
      permission: 'allow',
      action: 'publish',
      topic,
    })),
    { permission: 'allow', action: 'subscribe', topic: deviceSubscribeFilter(deviceId) },
    { permission: 'deny', action: 'all', topic: '#' },
  ];
}
