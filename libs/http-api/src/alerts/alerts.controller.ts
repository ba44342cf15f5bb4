import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { AlertDto, AlertSeverity, AlertStatus } from '@homeward/contracts';
import { AlertService, type Principal } from '@homeward/core';
import { CurrentPrincipal } from '../common/principal.decorator';

export class AlertQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  status?: AlertStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  patientId?: string;

  @ApiPropertyOptional({ enum: ['critical', 'warning', 'info'] })
  @IsOptional()
  @IsIn(['critical', 'warning', 'info'])
  severity?: AlertSeverity;

  @ApiPropertyOptional({ description: 'Only alerts with a higher sequence (e.g. the last one a client saw)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  afterSequence?: number;

  @ApiPropertyOptional({
    description: 'Only alerts with a lower sequence: the last one of the previous page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  beforeSequence?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @ApiOkResponse({ description: "The organisation's alerts, newest (highest sequence) first" })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AlertQueryDto,
  ): Promise<{ items: AlertDto[] }> {
    return { items: await this.alerts.list(principal, query) };
  }
}
