import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AlertDto } from '@homeward/contracts';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import {
  AlertAssignDto,
  AlertDetailDto,
  AlertListDto,
  AlertNoteDto,
  AlertQueryDto,
  AlertReasonDto,
  AlertResponseDto,
  AlertSnoozeDto,
} from './alert.dto';
import { AlertService, type AlertActionInput } from './alert.service';

const AlertId = () => UuidParam('alertId');

/**
 * The alert queue and what people do with it. Every action answers the alert as it now is,
 * pushes it as `alert.updated`, and answers 409 (with the current state) when the state does
 * not allow it, including when someone else acted first.
 */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @ApiOkResponse({
    type: AlertListDto,
    description: "The organisation's alerts, newest (highest sequence) first",
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AlertQueryDto): Promise<AlertListDto> {
    return { items: await this.alerts.list(principal, query) };
  }

  @Get(':alertId')
  @ApiOkResponse({ type: AlertDetailDto })
  @ApiNotFoundResponse({ description: 'No such alert in your organisation' })
  get(@CurrentPrincipal() principal: Principal, @AlertId() id: string): Promise<AlertDetailDto> {
    return this.alerts.get(principal, id);
  }

  @Post(':alertId/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiConflictResponse({ description: 'Already acknowledged, or closed' })
  acknowledge(@CurrentPrincipal() principal: Principal, @AlertId() id: string): Promise<AlertDto> {
    return this.act(principal, id, { action: 'acknowledge' });
  }

  @Post(':alertId/assign')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiNotFoundResponse({ description: 'No such alert, or no such user, in your organisation' })
  assign(
    @CurrentPrincipal() principal: Principal,
    @AlertId() id: string,
    @Body() body: AlertAssignDto,
  ): Promise<AlertDto> {
    return this.act(principal, id, { action: 'assign', userId: body.userId });
  }

  @Post(':alertId/notes')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  note(
    @CurrentPrincipal() principal: Principal,
    @AlertId() id: string,
    @Body() body: AlertNoteDto,
  ): Promise<AlertDto> {
    return this.act(principal, id, { action: 'note', text: body.text });
  }

  @Post(':alertId/snooze')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiConflictResponse({ description: 'Critical alerts are never snoozed; snoozes are bounded by severity' })
  snooze(
    @CurrentPrincipal() principal: Principal,
    @AlertId() id: string,
    @Body() body: AlertSnoozeDto,
  ): Promise<AlertDto> {
    return this.act(principal, id, { action: 'snooze', until: new Date(body.until) });
  }

  @Post(':alertId/escalate')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  escalate(@CurrentPrincipal() principal: Principal, @AlertId() id: string): Promise<AlertDto> {
    return this.act(principal, id, { action: 'escalate' });
  }

  @Post(':alertId/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  resolve(
    @CurrentPrincipal() principal: Principal,
    @AlertId() id: string,
    @Body() body: AlertReasonDto,
  ): Promise<AlertDto> {
    return this.act(principal, id, { action: 'resolve', reason: body.reason });
  }

  @Post(':alertId/dismiss')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertResponseDto })
  dismiss(
    @CurrentPrincipal() principal: Principal,
    @AlertId() id: string,
    @Body() body: AlertReasonDto,
  ): Promise<AlertDto> {
    return this.act(principal, id, { action: 'dismiss', reason: body.reason });
  }

  private act(principal: Principal, id: string, action: AlertActionInput): Promise<AlertDto> {
    return this.alerts.act(principal, id, action);
  }
}
