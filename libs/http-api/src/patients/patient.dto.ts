import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DEVICE_KINDS, VITAL_TYPES, type DeviceKind, type VitalType } from '@homeward/contracts';
import type { DeviceRow, PatientRow, ReadingRow } from '@homeward/db';

export class PatientCreateDto {
  @ApiProperty({ example: 'Maria' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  givenName!: string;

  @ApiProperty({ example: 'Alvarez' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  familyName!: string;

  @ApiProperty({ example: '1948-03-14', description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'birthDate must be a real calendar date' })
  birthDate!: string;
}

export class PatientResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() createdAt!: string;
}

export function mapPatient(row: PatientRow): PatientResponseDto {
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    birthDate: row.birthDate,
    createdAt: row.createdAt.toISOString(),
  };
}

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset = 0;
}

export class DeviceCreateDto {
  @ApiProperty({ enum: DEVICE_KINDS })
  @IsIn(DEVICE_KINDS)
  kind!: DeviceKind;

  @ApiPropertyOptional({ example: 'Omron cuff, living room' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class DeviceResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class DeviceRegisteredDto extends DeviceResponseDto {
  @ApiProperty({ description: 'MQTT password; returned once, only its hash is stored' })
  secret!: string;
  @ApiProperty({ example: 'mqtt://localhost:1883', description: 'Broker URL the device connects to' })
  mqttUrl!: string;
  @ApiProperty({ example: 'v1/devices/{id}/readings' })
  topic!: string;
}

export function mapDevice(row: DeviceRow): DeviceResponseDto {
  return {
    id: row.id,
    patientId: row.patientId,
    kind: row.kind,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}

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
  };
}
