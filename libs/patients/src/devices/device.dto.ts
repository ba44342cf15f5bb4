import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DEVICE_KINDS, type DeviceKind } from '@homeward/contracts';
import type { DeviceRow } from '../patients.rows';
import { PageQueryDto } from '../patients/patient.dto';
import { DEVICE_STATUSES, type DeviceStatus } from './device-status';
import type { DeviceView } from './device.service';
import { IsDisplayName } from '@homeward/platform';

export class DeviceCreateDto {
  @ApiProperty({ enum: DEVICE_KINDS })
  @IsIn(DEVICE_KINDS)
  kind!: DeviceKind;

  @ApiPropertyOptional({ example: 'Omron cuff, living room' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsDisplayName()
  label?: string;
}

export class DeviceResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    enum: DEVICE_STATUSES,
    description:
      '`offline`: active but not heard from (readings or status) for DEVICE_OFFLINE_AFTER_MINUTES, counted from registration if never',
  })
  status!: DeviceStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the platform last stored a message or status of the device (server clock)',
  })
  lastSeenAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'As the device last reported it' })
  firmwareVersion!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Battery charge in %, as last reported' })
  batteryLevel!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Signal strength (RSSI) in dBm, as last reported',
  })
  signalStrength!: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'reportedAt of the status these values come from',
  })
  statusReportedAt!: string | null;
  @ApiProperty({
    description:
      "Whether the latest message stored from the device had a Bluetooth time stamp a whole number of hours off the hub's receivedAt (flag clock_suspect): its clock is likely in the wrong time zone or missed a daylight-saving change",
  })
  clockSuspect!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When a message flagged clock_suspect was last stored (server clock); null if never',
  })
  clockSuspectSeenAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deactivatedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deactivatedReason!: string | null;
  @ApiProperty({ nullable: true, type: String, deprecated: true, description: 'Same as deactivatedAt' })
  revokedAt!: string | null;
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

export class DeviceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DEVICE_STATUSES })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: DeviceStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  patientId?: string;
}

export class DeviceDeactivateDto {
  @ApiPropertyOptional({
    example: 'Lost by the patient',
    description: 'Why, for the people managing devices',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class DeviceReassignDto {
  @ApiProperty({ format: 'uuid', description: 'A patient of the same organisation' })
  @IsUUID()
  patientId!: string;
}

export class DeviceSecretDto {
  @ApiProperty({ type: DeviceResponseDto }) device!: DeviceResponseDto;
  @ApiProperty({ description: 'The new MQTT password; returned once, only its hash is stored' })
  secret!: string;
  @ApiProperty({ example: 'mqtt://localhost:1883', description: 'Broker URL the device connects to' })
  mqttUrl!: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A device as the API shows it; a row without a status record or contact (just registered) is active. */
export function mapDevice(row: DeviceView | DeviceRow): DeviceResponseDto {
  const view: Partial<DeviceView> = row;
  return {
    id: row.id,
    patientId: row.patientId,
    kind: row.kind,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    status: view.status ?? (row.revokedAt ? 'deactivated' : 'active'),
    lastSeenAt: iso(view.lastSeenAt ?? null),
    firmwareVersion: view.firmwareVersion ?? null,
    batteryLevel: view.batteryLevel ?? null,
    signalStrength: view.signalStrength ?? null,
    statusReportedAt: iso(view.statusReportedAt ?? null),
    clockSuspect: view.clockSuspect ?? false,
    clockSuspectSeenAt: iso(view.clockSuspectSeenAt ?? null),
    deactivatedAt: iso(row.revokedAt),
    deactivatedReason: row.deactivatedReason,
    revokedAt: iso(row.revokedAt),
  };
}
