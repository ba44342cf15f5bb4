import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  CONSENT_METHODS,
  CONSENT_SCOPES,
  CONSENT_STATUSES,
  RECORDABLE_CONSENT_METHODS,
  type ConsentMethod,
  type ConsentScope,
  type ConsentStatus,
  type RecordableConsentMethod,
} from '@homeward/contracts';
import type { ConsentRow } from '@homeward/access';

export class ConsentCreateDto {
  @ApiProperty({ enum: CONSENT_SCOPES }) @IsIn(CONSENT_SCOPES) scope!: ConsentScope;

  @ApiProperty({ enum: RECORDABLE_CONSENT_METHODS, description: 'How the patient gave it' })
  @IsIn(RECORDABLE_CONSENT_METHODS)
  method!: RecordableConsentMethod;

  @ApiPropertyOptional({
    example: '2026-12-01T10:00:00Z',
    description: 'When it was given (not in the future); now when left out',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  givenAt?: string;

  @ApiPropertyOptional({
    example: 'scan-2026-12-01-consent.pdf',
    maxLength: 500,
    description: 'Where the signed form is kept',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  documentReference?: string;
}

export class ConsentRevokeDto {
  @ApiProperty({ example: 'Patient asked to stop monitoring', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class ConsentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: CONSENT_SCOPES }) scope!: ConsentScope;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: ConsentStatus;
  @ApiProperty({
    enum: CONSENT_METHODS,
    description: '`legacy`: recorded for patients registered before consent was',
  })
  method!: ConsentMethod;
  @ApiProperty() givenAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The user who recorded it; null for legacy' })
  recordedBy!: string | null;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: String, nullable: true }) documentReference!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokeReason!: string | null;
}

export class ConsentListDto {
  @ApiProperty({ type: [ConsentResponseDto], description: 'Newest first' }) items!: ConsentResponseDto[];
}

export function mapConsent(row: ConsentRow): ConsentResponseDto {
  return {
    id: row.id,
    patientId: row.patientId,
    scope: row.scope,
    status: row.status,
    method: row.method,
    givenAt: row.givenAt.toISOString(),
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(),
    documentReference: row.documentReference,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
    revokedBy: row.revokedBy,
    revokeReason: row.revokeReason,
  };
}
