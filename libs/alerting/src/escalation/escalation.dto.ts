import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { OnCallShiftRow } from './escalation.rows';
import type { EscalationPolicyView, OnCallRosterView } from './escalation-settings.service';
import { MAX_ROSTER_SHIFTS } from './escalation-settings.service';

export class EscalationPolicyDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 86400,
    example: 600,
    description:
      'Seconds a critical alert may wait for an acknowledgement before it goes to the on-call clinician',
  })
  @IsInt()
  @Min(1)
  @Max(86400)
  firstAfterSeconds!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 86400,
    example: 900,
    description: "Seconds after that until it goes to the organisation's admins",
  })
  @IsInt()
  @Min(1)
  @Max(86400)
  thenAfterSeconds!: number;
}

export class EscalationPolicyResponseDto extends EscalationPolicyDto {
  @ApiProperty({ enum: ['organization', 'default'], description: 'default: the organisation has set none' })
  source!: 'organization' | 'default';
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class OnCallShiftInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  userId!: string;

  @ApiProperty({ format: 'date-time' })
  @IsDateString({ strict: true })
  startsAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Exclusive; after startsAt, in the future, within 7 days of it',
  })
  @IsDateString({ strict: true })
  endsAt!: string;
}

export class OnCallRosterInputDto {
  @ApiProperty({
    type: [OnCallShiftInputDto],
    description:
      'Replaces every shift that has not ended; overlapping shifts: the later-starting one is on call',
  })
  @IsArray()
  @ArrayMaxSize(MAX_ROSTER_SHIFTS)
  @ValidateNested({ each: true })
  @Type(() => OnCallShiftInputDto)
  shifts!: OnCallShiftInputDto[];
}

export class OnCallShiftDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ description: 'False when the user is disabled: never on call' }) userActive!: boolean;
}

export class OnCallRosterDto {
  @ApiProperty({ type: OnCallShiftDto, nullable: true, description: 'Whose shift covers now' })
  onCall!: OnCallShiftDto | null;
  @ApiProperty({ type: [OnCallShiftDto] }) shifts!: OnCallShiftDto[];
}

export function mapPolicy(view: EscalationPolicyView): EscalationPolicyResponseDto {
  return { ...view, updatedAt: view.updatedAt?.toISOString() ?? null };
}

function mapShift(row: OnCallShiftRow): OnCallShiftDto {
  return {
    id: row.id,
    userId: row.userId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    userActive: row.userActive,
  };
}

export function mapRoster(view: OnCallRosterView): OnCallRosterDto {
  return { onCall: view.onCall ? mapShift(view.onCall) : null, shifts: view.shifts.map(mapShift) };
}
