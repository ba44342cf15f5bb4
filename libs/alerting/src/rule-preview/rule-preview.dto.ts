import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class RulePreviewRequestDto {
  @ApiProperty({
    description: 'A rule as docs/rules.schema.json describes it',
    example: {
      kind: 'threshold',
      type: 'blood_pressure_systolic',
      operator: '>=',
      value: 160,
      severity: 'warning',
    },
  })
  @IsObject()
  rule!: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'Default: every patient of your organisation' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('4', { each: true })
  patientIds?: string[];

  @ApiProperty({ minimum: 1, maximum: 90, example: 30 })
  @IsInt()
  @Min(1)
  @Max(90)
  days!: number;
}

export class RulePreviewPatientDto {
  @ApiProperty() patientId!: string;
  @ApiProperty({ description: 'Readings that meet the condition' }) breaches!: number;
  @ApiProperty({ description: 'What de-duplication and cool-down would have made of them' }) alerts!: number;
}

export class RulePreviewFiguresDto {
  @ApiProperty() breaches!: number;
  @ApiProperty() alerts!: number;
  @ApiProperty({ type: [RulePreviewPatientDto] }) byPatient!: RulePreviewPatientDto[];
}

export class RulePreviewResponseDto extends RulePreviewFiguresDto {
  @ApiProperty({
    type: RulePreviewFiguresDto,
    description: "The same figures for the patients' current rules",
  })
  current!: RulePreviewFiguresDto;
}
