import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  VISIT_PARTICIPANT_ROLES,
  VISIT_STATUSES,
  type VisitParticipantRole,
  type VisitStatus,
  type VisitSummary,
} from '@homeward/contracts';
import type { VisitParticipantRow, VisitRow } from '../telehealth.rows';
import { IsDisplayName } from '@homeward/platform';

/** Longest visit notes accepted. */
export const VISIT_NOTES_MAX_LENGTH = 20_000;

export class VisitCreateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') patientId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The alert the visit is started from' })
  @IsOptional()
  @IsUUID('4')
  alertId?: string;

  @ApiPropertyOptional({
    example: '2026-11-01T15:00:00Z',
    description: 'When the visit is planned (at most a year ahead); now when left out',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledFor?: string;
}

export class VisitListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') patientId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "An alert's visits" })
  @IsOptional()
  @IsUUID('4')
  alertId?: string;
  @ApiPropertyOptional({ enum: VISIT_STATUSES }) @IsOptional() @IsIn(VISIT_STATUSES) status?: VisitStatus;
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Visits planned (or created) from' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Visits planned (or created) before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

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

export class VisitNotesDto {
  @ApiProperty({ maxLength: VISIT_NOTES_MAX_LENGTH, description: 'Replaces the visit notes' })
  @IsString()
  @MaxLength(VISIT_NOTES_MAX_LENGTH)
  text!: string;
}

export class GuestLinkCreateDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 80,
    example: 'Interpreter',
    description: "Shown as the guest's name",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(/\S/, { message: 'label must not be blank' })
  @IsDisplayName()
  label!: string;
}

export class VisitJoinCodeDto {
  // Anything up to 4 kB is looked up (and not found) rather than refused, so a pasted token or
  // a mangled link gets the same plain "link not found" page as a wrong code.
  @ApiProperty({ description: 'The code from the visit link', minLength: 1, maxLength: 4096 })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  code!: string;
}

export class VisitLinkDto {
  @ApiProperty({ example: 'https://homeward.example.org/visit/join?code=…' }) url!: string;
  @ApiProperty() expiresAt!: string;
}

export class GuestLinkDto extends VisitLinkDto {
  @ApiProperty() label!: string;
}

export class VisitSummaryDto implements VisitSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) alertId!: string | null;
  @ApiProperty({ enum: VISIT_STATUSES }) status!: VisitStatus;
  @ApiProperty({ description: 'The opaque LiveKit room name' }) roomName!: string;
  @ApiProperty({ nullable: true, type: String }) scheduledFor!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ nullable: true, type: String, description: 'First join to the room' }) startedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'First join to the room end' })
  durationSeconds!: number | null;
  @ApiProperty() hasNotes!: boolean;
}

export class VisitCreatedDto extends VisitSummaryDto {
  @ApiProperty({ type: VisitLinkDto, description: "The patient's one-time link" }) patientLink!: VisitLinkDto;
}

export class VisitParticipantDto {
  @ApiProperty({ enum: VISIT_PARTICIPANT_ROLES }) role!: VisitParticipantRole;
  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only' }) userId?: string;
  @ApiPropertyOptional({ description: "A guest's label" }) label?: string;
  @ApiProperty({ nullable: true, type: String }) joinedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null while connected' }) leftAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Seconds connected' }) seconds!: number;
}

export class VisitDetailDto extends VisitSummaryDto {
  @ApiProperty({ type: [VisitParticipantDto] }) participants!: VisitParticipantDto[];
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) notesUpdatedAt!: string | null;
}

export class VisitListDto {
  @ApiProperty({ type: [VisitSummaryDto] }) items!: VisitSummaryDto[];
}

export class VisitJoinDto {
  @ApiProperty({ description: 'LIVEKIT_URL: where the browser connects' }) url!: string;
  @ApiProperty({ description: 'A LiveKit access token for this room only' }) token!: string;
  @ApiProperty({ description: 'The token only admits a first connection until then' }) expiresAt!: string;
}

export class VisitCodeJoinDto extends VisitJoinDto {
  @ApiProperty({ format: 'uuid' }) visitId!: string;
  @ApiProperty() roomName!: string;
}

export class VideoConfigDto {
  @ApiProperty({
    description: 'Whether LiveKit is configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)',
  })
  configured!: boolean;
}

export class WebhookAcceptedDto {
  @ApiProperty({ enum: ['applied', 'duplicate', 'ignored'] }) outcome!: 'applied' | 'duplicate' | 'ignored';
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function mapVisitSummary(row: VisitRow): VisitSummaryDto {
  return {
    id: row.id,
    organizationId: row.organizationId,
    patientId: row.patientId,
    alertId: row.alertId,
    status: row.status,
    roomName: row.roomName,
    scheduledFor: iso(row.scheduledFor),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    durationSeconds:
      row.startedAt && row.endedAt
        ? Math.max(0, Math.floor((row.endedAt.getTime() - row.startedAt.getTime()) / 1000))
        : null,
    hasNotes: row.notes !== null && row.notes !== '',
  };
}

export function mapVisitParticipant(row: VisitParticipantRow): VisitParticipantDto {
  return {
    role: row.role,
    ...(row.userId ? { userId: row.userId } : {}),
    ...(row.label ? { label: row.label } : {}),
    joinedAt: iso(row.joinedAt),
    leftAt: iso(row.leftAt),
    seconds: row.seconds,
  };
}

export function mapVisitDetail(row: VisitRow, participants: readonly VisitParticipantRow[]): VisitDetailDto {
  return {
    ...mapVisitSummary(row),
    participants: participants.map(mapVisitParticipant),
    notes: row.notes,
    notesUpdatedAt: iso(row.notesUpdatedAt),
  };
}
