import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { CareTimeEntryRow, CareTimeKind } from '../care.rows';
import type { CareTimeMonth } from './care-time.service';
import {
  MAX_CARE_TIME_NOTE_LENGTH,
  MAX_CARE_TIME_SECONDS,
  MAX_VOID_REASON_LENGTH,
} from './care-time-entry.rules';

const LOGGED_KINDS = ['call', 'review', 'other'] as const;
const KINDS: CareTimeKind[] = [...LOGGED_KINDS, 'video_visit'];
const SECONDS_MESSAGE = `seconds must be a whole number between 1 and ${MAX_CARE_TIME_SECONDS} (24 hours)`;

export class CareTimeRecordDto {
  @ApiProperty({
    enum: LOGGED_KINDS,
    description: 'call, review or other; video visits are recorded by the visit itself',
  })
  @IsIn(LOGGED_KINDS, {
    message: 'kind must be one of call, review, other (video_visit is recorded by the visit itself)',
  })
  kind!: (typeof LOGGED_KINDS)[number];

  @ApiProperty({ minimum: 1, maximum: MAX_CARE_TIME_SECONDS, example: 900 })
  @IsInt({ message: SECONDS_MESSAGE })
  @Min(1, { message: SECONDS_MESSAGE })
  @Max(MAX_CARE_TIME_SECONDS, { message: SECONDS_MESSAGE })
  seconds!: number;

  @ApiProperty({ description: 'Interactive communication with the patient or caregiver (a phone call is)' })
  @IsBoolean()
  interactive!: boolean;

  @ApiProperty({
    format: 'date-time',
    description: 'When the work was done: not in the future, at most a year ago',
  })
  @IsISO8601({ strict: true }, { message: 'performedAt must be an ISO 8601 date-time' })
  performedAt!: string;

  @ApiPropertyOptional({ maxLength: MAX_CARE_TIME_NOTE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CARE_TIME_NOTE_LENGTH)
  note?: string;
}

export class CareTimeVoidDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_VOID_REASON_LENGTH, example: 'Logged twice' })
  @IsString()
  @MaxLength(MAX_VOID_REASON_LENGTH)
  reason!: string;
}

export class CareTimeEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: KINDS }) kind!: CareTimeKind;
  @ApiProperty() interactive!: boolean;
  @ApiProperty() seconds!: number;
  @ApiProperty() performedAt!: Date;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null: the user no longer exists or a system entry',
  })
  performedBy!: string | null;
  @ApiPropertyOptional({ description: 'The video visit this time was spent in' }) visitId?: string;
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({ description: 'Set when voided: the entry no longer counts' }) voidedAt?: Date;
  @ApiPropertyOptional() voidReason?: string;
}

export class CareTimeMonthDto {
  @ApiProperty({ example: '2026-03', description: "The month, on the patient's calendar" })
  month!: string;
  @ApiProperty({ type: [CareTimeEntryDto], description: 'Oldest first, voided entries included' })
  items!: CareTimeEntryDto[];
  @ApiProperty({ description: 'Seconds of the entries not voided' }) totalSeconds!: number;
  @ApiProperty({ description: 'Seconds of the interactive entries not voided' }) interactiveSeconds!: number;
}

export function mapCareTimeEntry(row: CareTimeEntryRow): CareTimeEntryDto {
  return {
    id: row.id,
    kind: row.kind,
    interactive: row.interactive,
    seconds: row.seconds,
    performedAt: row.performedAt,
    performedBy: row.performedBy,
    ...(row.visitId !== null && { visitId: row.visitId }),
    ...(row.note !== null && { note: row.note }),
    ...(row.voidedAt !== null && { voidedAt: row.voidedAt }),
    ...(row.voidReason !== null && { voidReason: row.voidReason }),
  };
}

export function mapCareTimeMonth(month: CareTimeMonth): CareTimeMonthDto {
  return { ...month, items: month.items.map(mapCareTimeEntry) };
}
