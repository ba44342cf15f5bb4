import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ALERT_EVENT_ACTIONS,
  ALERT_STATUSES,
  SEVERITIES,
  type AlertDto,
  type AlertStatus,
  type Severity,
  type AlertEventAction,
} from '@homeward/contracts';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;

export class AlertQueryDto {
  @ApiPropertyOptional({
    description: `Comma-separated statuses (${ALERT_STATUSES.join(', ')})`,
    example: 'open,acknowledged',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(ALERT_STATUSES.length)
  @IsIn(ALERT_STATUSES, { each: true })
  status?: AlertStatus[];

  @ApiPropertyOptional({ enum: ['me'], description: 'Only alerts assigned to the caller' })
  @IsOptional()
  @IsIn(['me'])
  assignedTo?: 'me';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  patientId?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'Also list alerts snoozed until a time still to come (hidden from the queue by default)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeSnoozed?: 'true' | 'false';

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
  @ApiProperty({ description: "0: the rule as published; n: the patient's override version n that fired it" })
  version!: number;
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
  @ApiProperty({
    type: 'integer',
    description:
      'Number of the last change, from the same counter as sequence; reconnect with the highest sequence or changeSequence seen',
  })
  changeSequence!: number;
  @ApiProperty() organizationId!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty({ type: AlertRuleDto }) rule!: AlertRuleDto;
  @ApiProperty({
    example: 'Systolic 186 mmHg ≥ 180',
    description: 'What fired, in words: the reading against the cut-off it crossed, or what is missing',
  })
  summary!: string;
  @ApiProperty({
    type: AlertTriggerDto,
    nullable: true,
    description:
      'The reading that raised the alert; null for a missed-reading alert, which no one reading raises',
  })
  trigger!: AlertTriggerDto | null;
  @ApiProperty({
    description: 'Raised by a reading that arrived long after it was measured; never pushed as a new alert',
  })
  late!: boolean;
  @ApiProperty({ type: 'integer', description: 'Breaches attached to this episode, the first included' })
  occurrences!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The latest breaching value, in the unit of the trigger; null for a missed-reading alert',
  })
  lastValue!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'When the latest breaching value was measured; for a missed-reading alert the last reading of the type, null if none',
  })
  lastMeasuredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The user who owns the alert' })
  assignedTo!: string | null;
  @ApiProperty({ type: String, nullable: true }) snoozedUntil!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "When the readings of the alert's vitals came back in range after its last breach; an unacknowledged critical alert stays in the queue regardless",
  })
  inRangeSince!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class AlertHistoryEntryDto {
  @ApiProperty({
    enum: ALERT_EVENT_ACTIONS,
    description:
      "People's actions, and the platform's own: `reopen` (cool-down), `auto_resolve` (all clear), `hold` (the device flagged the reading unreliable: detail `reason` `unreliable_measurement`, `flags`), `confirm` / `not_confirmed` (a re-measurement, or none in time), `severity_raised` (a worse breach: detail `fromSeverity`, `toSeverity`; the alert is back in the queue), `back_in_range` (an unacknowledged critical alert's readings are in range again; it stays until someone acts)",
  })
  action!: AlertEventAction;
  @ApiProperty({ type: String, nullable: true, description: 'Who acted; null for the platform' })
  actorUserId!: string | null;
  @ApiProperty({ enum: ALERT_STATUSES }) fromStatus!: AlertStatus;
  @ApiProperty({ enum: ALERT_STATUSES }) toStatus!: AlertStatus;
  @ApiProperty({ description: 'What the action carried: assignee, note text, snooze end, reason' })
  detail!: Record<string, unknown>;
  @ApiProperty() at!: string;
}

export class AlertReadingDto {
  @ApiProperty() ruleId!: string;
  @ApiProperty({ description: 'The version of the rule it breached' }) ruleVersion!: number;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() deviceId!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() measuredAt!: string;
  @ApiProperty() value!: number;
  @ApiProperty() unit!: string;
}

export class AlertDetailDto extends AlertResponseDto {
  @ApiProperty({ type: [AlertHistoryEntryDto], description: 'Every action, oldest first' })
  history!: AlertHistoryEntryDto[];
  @ApiProperty({
    type: [AlertReadingDto],
    description: 'The breaching readings that fed this alert, oldest first',
  })
  readings!: AlertReadingDto[];
}

export class AlertAssignDto {
  @ApiProperty() @IsUUID('4') userId!: string;
}

export class AlertNoteDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) text!: string;
}

export class AlertSnoozeDto {
  @ApiProperty({
    description: 'ISO 8601; at most 24 h ahead for warnings, 72 h for info; never for critical',
  })
  @IsDateString({ strict: true })
  until!: string;
}

export class AlertReasonDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertResponseDto] }) items!: AlertResponseDto[];
}
