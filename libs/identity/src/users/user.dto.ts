import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEmail,
  IsUUID,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { USER_ROLES, type UserRole } from '@homeward/contracts';
import { IsDisplayName } from '@homeward/platform';
import type { OrganizationRow, UserListRow, UserRow } from '../identity.rows';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

/** No control characters; bidirectional and invisible ones are refused by IsDisplayName. */
const NAME_PATTERN = /^\P{Cc}+$/u;
const NAME_MESSAGE = 'name must not contain control characters';

export const USER_STATUSES = ['active', 'invited', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A colleague as others see them: no email, no account state. */
export class UserSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
}

/** A user as an admin manages them. */
export class UserDto extends UserSummaryDto {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: USER_STATUSES, description: 'invited: no password set yet' }) status!: UserStatus;
  @ApiProperty() createdAt!: string;
}

export class UserListDto {
  @ApiProperty({ type: [UserSummaryDto] }) items!: UserSummaryDto[];
}

/** A user in the list: admins get the account fields, colleagues names and roles only. */
export class UserListItemDto extends UserSummaryDto {
  @ApiPropertyOptional({ description: 'Admins only' }) email?: string;
  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'Admins only; invited: no password set yet' })
  status?: UserStatus;
  @ApiPropertyOptional({ description: 'Admins only' }) createdAt?: string;
  @ApiPropertyOptional({
    description:
      'Admins only: an authenticator app (TOTP) is set up; single sign-on users have their provider’s',
  })
  mfaEnrolled?: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: [UserListItemDto] }) items!: UserListItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class UserPageQueryDto {
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

export class UserCreateDto {
  @ApiProperty({ example: 'maria.lopez@clinic.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Maria Lopez' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  @IsDisplayName()
  name!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 50,
    description:
      "Care teams of the organisation the user joins (a care team's patients are who coordinators and clinicians see)",
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  careTeamIds?: string[];
}

export class UserUpdateDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  @IsDisplayName()
  name?: string;
}

export class InvitationDto {
  @ApiProperty({ description: 'One-time link the invited user opens to set a password' }) url!: string;
  @ApiProperty() expiresAt!: string;
}

export class UserCreatedDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: InvitationDto }) invitation!: InvitationDto;
}

export class InvitationAcceptDto {
  @ApiProperty({ description: 'The code from the invitation link' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  code!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class InvitationAcceptedDto {
  @ApiProperty({ description: 'The email to sign in with' }) email!: string;
}

export class PasswordChangeDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
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

export function userStatus(row: UserRow): UserStatus {
  if (row.disabledAt) return 'disabled';
  return row.passwordHash ? 'active' : 'invited';
}

export function mapUserSummary(row: UserRow): UserSummaryDto {
  return { id: row.id, displayName: row.displayName, role: row.role };
}

/** A user in the People list, as an admin sees them. */
export function mapUserListItem(row: UserListRow): UserListItemDto {
  return { ...mapUser(row), mfaEnrolled: row.mfaEnrolled };
}

export function mapUser(row: UserRow): UserDto {
  return {
    ...mapUserSummary(row),
    email: row.email,
    status: userStatus(row),
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapInvitation(invitation: { url: string; expiresAt: Date }): InvitationDto {
  return { url: invitation.url, expiresAt: invitation.expiresAt.toISOString() };
}

export function mapCurrentUser(row: UserRow, organization: OrganizationRow): CurrentUserDto {
  return {
    ...mapUserSummary(row),
    email: row.email,
    organization: { id: organization.id, name: organization.name },
  };
}
