import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import {
  BREAK_GLASS_REASON_MAX_LENGTH,
  type BreakGlassGrantRow,
  type BreakGlassListRow,
} from '@homeward/access';

export class BreakGlassCreateDto {
  @ApiProperty({
    example: 'Covering the on-call shift: patient phoned about chest pain',
    maxLength: BREAK_GLASS_REASON_MAX_LENGTH,
    description:
      'Why you need the record; trimmed, then 1 to 2000 characters. Shown to admins and the care team',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(BREAK_GLASS_REASON_MAX_LENGTH)
  reason!: string;
}

export class BreakGlassGrantDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ description: 'When the access ends (BREAK_GLASS_MINUTES after it was granted)' })
  expiresAt!: string;
}

export function mapBreakGlassGrant(row: BreakGlassGrantRow): BreakGlassGrantDto {
  return { id: row.id, patientId: row.patientId, expiresAt: row.expiresAt.toISOString() };
}

export class BreakGlassPersonDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class BreakGlassListItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: BreakGlassPersonDto, description: 'The clinician who broke the glass' })
  user!: BreakGlassPersonDto;
  @ApiProperty({ type: BreakGlassPersonDto }) patient!: BreakGlassPersonDto;
  @ApiProperty() reason!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: 'Whether the access still runs' }) active!: boolean;
}

export class BreakGlassListDto {
  @ApiProperty({ type: [BreakGlassListItemDto], description: 'Newest first' })
  items!: BreakGlassListItemDto[];
}

export function mapBreakGlassListItem(row: BreakGlassListRow): BreakGlassListItemDto {
  return {
    id: row.id,
    user: { id: row.userId, name: row.userName },
    patient: { id: row.patientId, name: row.patientName },
    reason: row.reason,
    grantedAt: row.grantedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    active: row.active,
  };
}
