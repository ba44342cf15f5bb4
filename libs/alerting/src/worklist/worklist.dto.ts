import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SEVERITIES, VITAL_TYPES, type Severity } from '@homeward/contracts';
import { PROTOCOL_KEYS, type ProtocolKey } from '../rules/protocols';
import { WORKLIST_SORTS, type SortOrder, type WorklistEntry, type WorklistSort } from './worklist.service';

export class WorklistQueryDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the given or family name, any case' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: WORKLIST_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(WORKLIST_SORTS)
  sort: WorklistSort = 'name';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: SortOrder = 'asc';

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset = 0;
}

export class WorklistValueDto {
  @ApiProperty({ enum: VITAL_TYPES }) type!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ description: 'UCUM unit' }) unit!: string;
}

export class WorklistLastReadingDto extends WorklistValueDto {
  @ApiProperty() measuredAt!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty({
    type: [WorklistValueDto],
    description: 'The other values measured with it (a cuff: diastolic and pulse beside systolic)',
  })
  alongside!: WorklistValueDto[];
}

export class WorklistOpenAlertsDto {
  @ApiProperty({ type: 'integer', description: 'Alerts not yet resolved or dismissed (snoozed included)' })
  count!: number;
  @ApiProperty({ enum: SEVERITIES, nullable: true, type: String }) worstSeverity!: Severity | null;
}

export class WorklistAdherenceDto {
  @ApiProperty({
    type: 'integer',
    description: "Calendar days with at least one reading, in the patient's time zone (UTC if none)",
  })
  days!: number;
  @ApiProperty({ type: 'integer', example: 30, description: 'The days looked back on, today included' })
  windowDays!: number;
}

export class WorklistItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ type: String, nullable: true, description: 'IANA time zone; null: UTC' })
  timeZone!: string | null;
  @ApiProperty({ type: WorklistLastReadingDto, nullable: true, description: 'null: never measured' })
  lastReading!: WorklistLastReadingDto | null;
  @ApiProperty({ type: WorklistOpenAlertsDto }) openAlerts!: WorklistOpenAlertsDto;
  @ApiProperty({ enum: PROTOCOL_KEYS, isArray: true }) protocols!: ProtocolKey[];
  @ApiProperty({ type: WorklistAdherenceDto }) adherence!: WorklistAdherenceDto;
}

export class WorklistDto {
  @ApiProperty({ type: [WorklistItemDto] }) items!: WorklistItemDto[];
  @ApiProperty({ type: 'integer', description: 'Patients matching the search, across every page' })
  total!: number;
}

export function mapWorklistEntry(entry: WorklistEntry): WorklistItemDto {
  const { patient, lastReading } = entry;
  return {
    id: patient.id,
    givenName: patient.givenName,
    familyName: patient.familyName,
    birthDate: patient.birthDate,
    timeZone: patient.timeZone,
    lastReading: lastReading
      ? {
          type: lastReading.type,
          value: lastReading.value,
          unit: lastReading.unit,
          measuredAt: lastReading.measuredAt.toISOString(),
          deviceId: lastReading.deviceId,
          alongside: lastReading.alongside,
        }
      : null,
    openAlerts: entry.openAlerts,
    protocols: entry.protocols,
    adherence: entry.adherence,
  };
}
