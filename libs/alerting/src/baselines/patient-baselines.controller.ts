import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import { MAX_BASELINE_NOTE_LENGTH, PatientBaselineService } from './patient-baseline.service';

export class PatientBaselinesSetDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0.5,
    maximum: 500,
    example: 80,
    description:
      "The patient's dry weight in kg (at most 2 decimals), which heart_failure.weight.dry compares with; null clears it",
  })
  @ValidateIf((body: PatientBaselinesSetDto) => body.dryWeightKg !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  dryWeightKg!: number | null;

  @ApiPropertyOptional({ description: 'The clinician who decided it (default: you); must be a clinician' })
  @IsOptional()
  @IsUUID('4')
  setBy?: string;

  @ApiPropertyOptional({ maxLength: MAX_BASELINE_NOTE_LENGTH, example: 'Euvolaemic at discharge' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BASELINE_NOTE_LENGTH)
  note?: string;
}

class PatientBaselineVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: cleared by this version' })
  dryWeightKg!: number | null;
  @ApiProperty({ type: String, nullable: true }) setBy!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The setBy clinician's name" })
  setByName!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;
}

class PatientBaselinesDto {
  @ApiProperty({ type: Number, nullable: true, description: 'null: never set, or cleared' })
  dryWeightKg!: number | null;
  @ApiProperty({ type: String, nullable: true }) setBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) setByName!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: '0: never set' }) version!: number;
  @ApiProperty({ type: Date, nullable: true }) createdAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ type: [PatientBaselineVersionDto], description: 'Newest first' })
  versions!: PatientBaselineVersionDto[];
}

@ApiTags('rules')
@ApiBearerAuth()
@Controller('patients/:patientId/baselines')
export class PatientBaselinesController {
  constructor(private readonly baselines: PatientBaselineService) {}

  @Get()
  @ApiOkResponse({ type: PatientBaselinesDto, description: "The patient's baselines and every version" })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
  ): Promise<PatientBaselinesDto> {
    return this.baselines.get(principal, patientId);
  }

  @Put()
  @Roles('clinician')
  @ApiOkResponse({ type: PatientBaselinesDto, description: 'The baselines now in force' })
  @ApiBadRequestResponse({
    description:
      'baseline_dry_weight (outside 0.5–500 kg or more than 2 decimals), baseline_set_by, baseline_note',
  })
  @ApiForbiddenResponse({ description: 'A dry weight is a clinical decision: clinicians only' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  set(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Body() body: PatientBaselinesSetDto,
  ): Promise<PatientBaselinesDto> {
    return this.baselines.set(principal, patientId, body);
  }
}
