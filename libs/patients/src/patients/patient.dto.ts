import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsUUID,
  IsDateString,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { E164, RECORDABLE_CONSENT_METHODS, type RecordableConsentMethod } from '@homeward/contracts';
import { IsDisplayName, IsNotFutureDate } from '@homeward/platform';
import type { PatientRow } from '../patients.rows';

const CARE_TEAM_IDS_MAX = 50;

const PHONE_MESSAGE = 'phone must be an E.164 number: + then country code and number, digits only';

/** How to reach a patient: a field left out keeps its value, null clears it. */
export class PatientContactDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '+447700900123', description: 'E.164' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(E164, { message: PHONE_MESSAGE })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'maria@example.org', maxLength: 254 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;
}

export class PatientCreateDto extends PatientContactDto {
  @ApiProperty({ example: 'Maria' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsDisplayName()
  givenName!: string;

  @ApiProperty({ example: 'Alvarez' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsDisplayName()
  familyName!: string;

  @ApiProperty({ example: '1948-03-14', description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'birthDate must be a real calendar date' })
  @IsNotFutureDate()
  birthDate!: string;

  @ApiPropertyOptional({
    example: 'America/Chicago',
    description: "IANA time zone of the patient's home; adherence counts its calendar days (default UTC)",
  })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({
    enum: RECORDABLE_CONSENT_METHODS,
    description:
      "Consent to remote monitoring, given at registration: recorded as an `rpm_monitoring` consent. Without it (or one recorded later) the patient's readings are rejected with `no_consent`",
  })
  @IsOptional()
  @IsIn(RECORDABLE_CONSENT_METHODS)
  monitoringConsent?: RecordableConsentMethod;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: CARE_TEAM_IDS_MAX,
    description:
      "Its care teams. Left out: the registrar's own teams (a coordinator in none is refused with 422 `no_care_team`; an admin's patient stays unassigned). A coordinator may name only teams they belong to (403 `not_care_team_member`)",
  })
  @IsOptional()
  @ArrayMaxSize(CARE_TEAM_IDS_MAX)
  @IsUUID('all', { each: true })
  careTeamIds?: string[];
}

/** Replaces a patient's care teams (a coordinator's, among their own teams). */
export class PatientCareTeamsDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: CARE_TEAM_IDS_MAX })
  @ArrayMaxSize(CARE_TEAM_IDS_MAX)
  @IsUUID('all', { each: true })
  careTeamIds!: string[];
}

export class PatientCareTeamsResponseDto {
  @ApiProperty({ type: [String], format: 'uuid', description: "The patient's care teams now" })
  careTeamIds!: string[];
}

export class PatientResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ type: String, nullable: true, description: 'IANA time zone; null: UTC' })
  timeZone!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'E.164' })
  phone!: string | null;
  @ApiProperty({ type: String, nullable: true })
  email!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The care teams holding the patient; empty when unassigned (then only admins see it)',
  })
  careTeamIds!: string[];
}

export class PatientListDto {
  @ApiProperty({ type: [PatientResponseDto] }) items!: PatientResponseDto[];
}

export function mapPatient(row: PatientRow): PatientResponseDto {
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    birthDate: row.birthDate,
    timeZone: row.timeZone,
    phone: row.phone,
    email: row.email,
    createdAt: row.createdAt.toISOString(),
    careTeamIds: row.careTeamIds,
  };
}

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset = 0;
}

export class PatientListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only patients in no care team (admins; no one else sees any)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unassigned?: boolean;
}
