import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { ALERT_STATUSES, SEVERITIES, type AlertStatus, type Severity } from '@homeward/contracts';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { AlertMetricsService } from './alert-metrics.service';

const DAY_MS = 24 * 3600_000;

export class AlertMetricsQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601; default 30 days before `to`' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive; default now' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;
}

class AlertStateCountDto {
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty() count!: number;
}

class DurationDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds' }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds' }) p90!: number | null;
}

export class AlertMetricsDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'Alerts raised in the period' }) total!: number;
  @ApiProperty({ type: [AlertStateCountDto] }) counts!: AlertStateCountDto[];
  @ApiProperty({ type: DurationDto }) timeToAcknowledge!: DurationDto;
  @ApiProperty({ type: DurationDto, description: 'Of the alerts resolved (not dismissed)' })
  timeToResolve!: DurationDto;
  @ApiProperty() alertsPerPatientPerWeek!: number;
}

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics/alerts')
export class AlertMetricsController {
  constructor(private readonly metrics: AlertMetricsService) {}

  @Get()
  @ApiOkResponse({ type: AlertMetricsDto, description: 'Alerts raised in [from, to)' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AlertMetricsQueryDto,
  ): Promise<AlertMetricsDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    return this.metrics.forPeriod(principal, from, to);
  }
}
