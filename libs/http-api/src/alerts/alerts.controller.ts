import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { AlertDto } from '@homeward/contracts';
import { AlertService, type Principal } from '@homeward/core';
import { CurrentPrincipal } from '../common/principal.decorator';

export class AlertQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  patientId?: string;

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
  @ApiOkResponse({ description: "The organisation's alerts, newest first" })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AlertQueryDto,
  ): Promise<{ items: AlertDto[] }> {
    return { items: await this.alerts.list(principal, query) };
  }
}
