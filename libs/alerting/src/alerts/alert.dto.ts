import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import {
  ALERT_STATUSES,
  SEVERITIES,
  type AlertDto,
  type AlertStatus,
  type Severity,
} from '@homeward/contracts';

export class AlertQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  patientId?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Only alerts with a higher sequence (e.g. the last one a client saw)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  afterSequence?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Only alerts with a lower sequence: the last one of the previous page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  beforeSequence?: number;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

export class AlertRuleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'threshold' }) kind!: string;
  @ApiProperty() description!: string;
}

export class AlertTriggerDto {
  @ApiProperty({ example: 'spo2' }) type!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ description: 'UCUM unit' }) unit!: string;
  @ApiProperty() measuredAt!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty() messageId!: string;
}

/** The REST form of an alert; the same JSON as the socket's `alert.created` (`AlertDto`). */
export class AlertResponseDto implements AlertDto {
  @ApiProperty() id!: string;
  @ApiProperty({
    type: 'integer',
    description: 'Increases with every alert in the platform; clients resume from the last one they saw',
  })
  sequence!: number;
  @ApiProperty() organizationId!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty({ type: AlertRuleDto }) rule!: AlertRuleDto;
  @ApiProperty({ type: AlertTriggerDto }) trigger!: AlertTriggerDto;
  @ApiProperty() createdAt!: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertResponseDto] }) items!: AlertResponseDto[];
}
