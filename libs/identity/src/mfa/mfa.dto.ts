import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, Matches } from 'class-validator';
import type { OrganizationRow } from '../identity.rows';

export class MfaStatusDto {
  @ApiProperty({ description: 'An authenticator is set up and confirmed' }) enrolled!: boolean;
  @ApiProperty({ description: 'The organisation requires one of every user' }) required!: boolean;
  @ApiProperty({ description: 'Recovery codes not used yet' }) recoveryCodesLeft!: number;
}

export class MfaEnrollmentDto {
  @ApiProperty({ description: 'The shared secret (base32), for typing into an authenticator app' })
  secret!: string;
  @ApiProperty({
    description:
      'otpauth:// URI (TOTP, SHA-1, 6 digits, 30 s, issuer Homeward, label the email) for the QR code',
  })
  otpauthUrl!: string;
}

export class MfaConfirmDto {
  @ApiProperty({ example: '123456', description: 'The code the authenticator app shows now' })
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code!: string;
}

export class MfaRecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description: 'Ten one-time recovery codes, shown only now: each signs in once in place of a code',
  })
  recoveryCodes!: string[];
}

export class OrganizationSettingsUpdateDto {
  @ApiProperty({ example: false, description: 'Require every user to sign in with an authenticator app' })
  @IsBoolean()
  mfaRequired!: boolean;
}

export class OrganizationSettingsDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() mfaRequired!: boolean;
}

export function mapOrganizationSettings(row: OrganizationRow): OrganizationSettingsDto {
  return { id: row.id, name: row.name, mfaRequired: row.mfaRequired };
}
