import { ApiProperty } from '@nestjs/swagger';
import { DEVICE_KINDS } from '@homeward/contracts';
import type { DeviceWithContact } from './device-contact.service';

export class DeviceContactDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When a message of the device was last stored (server clock); null: never heard from',
  })
  lastContactAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The latest measurement time among its stored messages (the device's clock)",
  })
  lastMeasuredAt!: string | null;
  @ApiProperty({
    description:
      "Whether the device's latest stored message had a Bluetooth time stamp a whole number of hours off the hub's receivedAt (flag clock_suspect): its clock is likely in the wrong time zone",
  })
  clockSuspect!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When a message flagged clock_suspect was last stored (server clock); null if never',
  })
  clockSuspectSeenAt!: string | null;
}

export class DeviceContactListDto {
  @ApiProperty({ type: [DeviceContactDto] }) items!: DeviceContactDto[];
}

export function mapDeviceContact({
  device,
  lastContactAt,
  lastMeasuredAt,
  clockSuspectSeenAt,
}: DeviceWithContact): DeviceContactDto {
  return {
    id: device.id,
    patientId: device.patientId,
    kind: device.kind,
    label: device.label,
    createdAt: device.createdAt.toISOString(),
    revokedAt: device.revokedAt ? device.revokedAt.toISOString() : null,
    lastContactAt: lastContactAt ? lastContactAt.toISOString() : null,
    lastMeasuredAt: lastMeasuredAt ? lastMeasuredAt.toISOString() : null,
    // Suspect while the latest message is: a clock set right clears it with its next message.
    clockSuspect:
      clockSuspectSeenAt !== null && clockSuspectSeenAt.getTime() >= (lastContactAt?.getTime() ?? 0),
    clockSuspectSeenAt: clockSuspectSeenAt ? clockSuspectSeenAt.toISOString() : null,
  };
}
