import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { VITAL_TYPES, type VitalType } from '@homeward/contracts';
import type { ReadingRow } from '../monitoring.rows';

export class VitalsQueryDto {
  @ApiPropertyOptional({ enum: VITAL_TYPES })
  @IsOptional()
  @IsIn(VITAL_TYPES)
  type?: VitalType;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', default: 500, minimum: 1, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit = 500;
}

export class VitalDto {
  @ApiProperty({ enum: VITAL_TYPES }) type!: string;
  @ApiProperty() loinc!: string;
  @ApiProperty({ description: 'In the canonical unit' }) value!: number;
  @ApiProperty({ description: 'UCUM unit' }) unit!: string;
  @ApiProperty({ description: 'The value as the device sent it' }) sourceValue!: number;
  @ApiProperty({ description: 'The unit the device sent', example: '[degF]' }) sourceUnit!: string;
  @ApiProperty() measuredAt!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({
    type: [String],
    description:
      'Measurement-status bits the device raised (cuff fit, body movement, irregular pulse, ...); empty when none',
    example: ['irregular_pulse'],
  })
  flags!: string[];
}

export class VitalListDto {
  @ApiProperty({ type: [VitalDto] }) items!: VitalDto[];
}

export function mapVital(row: ReadingRow): VitalDto {
  return {
    type: row.type,
    loinc: row.loinc,
    value: row.value,
    unit: row.unit,
    sourceValue: row.sourceValue,
    sourceUnit: row.sourceUnit,
    measuredAt: row.measuredAt.toISOString(),
    deviceId: row.deviceId,
    messageId: row.messageId,
    receivedAt: row.receivedAt.toISOString(),
    flags: row.flags,
  };
}
