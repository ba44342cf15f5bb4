import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import {
  ALERT_STATUSES,
  SEVERITIES,
  VITAL_TYPES,
  type AlertStatus,
  type Severity,
} from '@homeward/contracts';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import {
  ALERT_READINGS_LIMIT,
  ALERT_READINGS_MAX_DAYS,
  AlertReadingsService,
} from './alert-readings.service';

export class AlertReadingsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Default: 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30T00:00:00Z', description: 'Default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class PatientAlertReadingDto {
  @ApiProperty() alertId!: string;
  @ApiProperty({ enum: ALERT_STATUSES }) alertStatus!: AlertStatus;
  @ApiProperty() ruleId!: string;
  @ApiProperty({ description: 'The version of the rule it breached' }) ruleVersion!: number;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() deviceId!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty({ enum: VITAL_TYPES }) type!: string;
  @ApiProperty() measuredAt!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ description: 'UCUM unit' }) unit!: string;
}

export class PatientAlertReadingListDto {
  @ApiProperty({ type: [PatientAlertReadingDto], description: 'Oldest first' })
  items!: PatientAlertReadingDto[];
}

/** A patient's alerting readings, for the marks on its charts. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('patients')
export class PatientAlertsController {
  constructor(private readonly alertReadings: AlertReadingsService) {}

  @Get(':patientId/alert-readings')
  @ApiOkResponse({
    type: PatientAlertReadingListDto,
    description: `The readings that breached a rule and fed an alert, measured in [from, to] (at most ${ALERT_READINGS_MAX_DAYS} days; the first ${ALERT_READINGS_LIMIT})`,
  })
  @ApiBadRequestResponse({ description: 'invalid_period' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Query() query: AlertReadingsQueryDto,
  ): Promise<PatientAlertReadingListDto> {
    const rows = await this.alertReadings.forPatient(principal, patientId, {
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    });
    return { items: rows.map((row) => ({ ...row, measuredAt: row.measuredAt.toISOString() })) };
  }
}
