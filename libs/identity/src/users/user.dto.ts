import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '@homeward/contracts';
import type { OrganizationRow, UserRow } from '../identity.rows';

/** A colleague as others see them: no email, no account state. */
export class UserSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
}

export class UserListDto {
  @ApiProperty({ type: [UserSummaryDto] }) items!: UserSummaryDto[];
}

export class OrganizationSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

/** The signed-in user: what the console shows in its header. */
export class CurrentUserDto extends UserSummaryDto {
  @ApiProperty() email!: string;
  @ApiProperty({ type: OrganizationSummaryDto }) organization!: OrganizationSummaryDto;
}

export function mapUserSummary(row: UserRow): UserSummaryDto {
  return { id: row.id, displayName: row.displayName, role: row.role };
}

export function mapCurrentUser(row: UserRow, organization: OrganizationRow): CurrentUserDto {
  return {
    ...mapUserSummary(row),
    email: row.email,
    organization: { id: organization.id, name: organization.name },
  };
}
