import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEVICE_KINDS, type DeviceKind } from '@homeward/contracts';
import type { DeviceRow } from '../patients.rows';

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

export class DeviceListDto {
  @ApiProperty({ type: [DeviceResponseDto] }) items!: DeviceResponseDto[];
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
