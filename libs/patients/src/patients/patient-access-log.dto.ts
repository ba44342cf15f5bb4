import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES } from '@homeward/contracts';
import type { AuditAccessRow } from '@homeward/identity';

export class AccessLogActorDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null for someone without an account (a visit link, the platform)',
  })
  userId!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ description: `A user role (${USER_ROLES.join(', ')}) or who acted without an account` })
  role!: string;
}

export class AccessLogEntryDto {
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: AccessLogActorDto }) actor!: AccessLogActorDto;
  @ApiProperty({ example: 'patient.read', description: 'What was done, `<resource>.<verb>`' })
  action!: string;
  @ApiProperty({ enum: ['allowed', 'denied'] }) outcome!: 'allowed' | 'denied';
  @ApiPropertyOptional({
    description: 'What the access was for: the resource touched, when it is not the record itself',
  })
  reason?: string;
}

export class AccessLogDto {
  @ApiProperty({ type: [AccessLogEntryDto], description: 'Newest first' }) items!: AccessLogEntryDto[];
}

export function mapAccessLogEntry(row: AuditAccessRow): AccessLogEntryDto {
  const entry: AccessLogEntryDto = {
    occurredAt: row.occurredAt.toISOString(),
    actor: { userId: row.actorUserId, name: row.actorName, role: row.actorRole },
    action: row.action,
    outcome: row.outcome,
  };
  if (row.resourceType !== 'patient')
    entry.reason = row.resourceId ? `${row.resourceType} ${row.resourceId}` : row.resourceType;
  return entry;
}
