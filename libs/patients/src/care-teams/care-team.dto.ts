import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@homeward/contracts';
import type { CareTeamListRow, CareTeamMemberRow, CareTeamRow } from '@homeward/access';
import { IsDisplayName } from '@homeward/platform';

export class CareTeamCreateDto {
  @ApiProperty({ example: 'Heart failure nurses', maxLength: 120 })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsDisplayName()
  name!: string;
}

export class CareTeamMemberDto {
  @ApiProperty() userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() addedAt!: string;
}

export class CareTeamDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class CareTeamListItemDto extends CareTeamDto {
  @ApiProperty({ type: [CareTeamMemberDto] }) members!: CareTeamMemberDto[];
  @ApiProperty({ description: 'How many patients the team holds' }) patientCount!: number;
}

export class CareTeamListDto {
  @ApiProperty({ type: [CareTeamListItemDto] }) items!: CareTeamListItemDto[];
}

export function mapCareTeam(row: CareTeamRow): CareTeamDto {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString() };
}

function mapMember(row: CareTeamMemberRow): CareTeamMemberDto {
  return {
    userId: row.userId,
    displayName: row.displayName,
    role: row.role,
    addedAt: row.addedAt.toISOString(),
  };
}

export function mapCareTeamListItem(row: CareTeamListRow): CareTeamListItemDto {
  return { ...mapCareTeam(row), members: row.members.map(mapMember), patientCount: row.patientCount };
}
