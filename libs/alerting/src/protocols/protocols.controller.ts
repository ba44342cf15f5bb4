import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
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
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import { PROTOCOL_KEYS, type ProtocolKey } from '../rules/protocols';
import { RULE_SOURCES, type RuleSource } from './patient-rules';
import { ProtocolService } from './protocol.service';
import { RuleOverrideService } from './rule-override.service';

/** Rule ids are dotted lower-case names (`heart_failure.weight.24h`). */
const RULE_ID = /^[a-z0-9_]+(\.[a-z0-9_]+){1,5}$/;

const RuleIdParam = () =>
  Param('ruleId', {
    transform(value: string): string {
      if (value.length > 100 || !RULE_ID.test(value))
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          code: 'invalid_rule_id',
          message: 'ruleId must be a rule id such as hypertension.bp.stage2',
        });
      return value;
    },
  });

export class RuleOverrideDto {
  @ApiProperty({
    description: 'The rule that replaces it for this patient, as docs/rules.schema.json describes it',
    example: {
      kind: 'threshold',
      type: 'blood_pressure_systolic',
      operator: '>=',
      value: 170,
      severity: 'warning',
    },
  })
  @IsObject()
  definition!: Record<string, unknown>;

  @ApiProperty({ maxLength: 500, example: 'Baseline systolic 165 on three agents; agreed with cardiology' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({
    description:
      'The clinician answerable for it: an active clinician of your organisation (default: you, if you are a clinician; an admin names one)',
  })
  @IsOptional()
  @IsUUID('4')
  ownerId?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601; after it the published rule applies again (at most 366 days)',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class RuleOverrideEndDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

class RuleOverrideVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, description: 'null: the override ended with this version' })
  definition!: object | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true }) ownerId!: string | null;
  @ApiProperty({ nullable: true }) expiresAt!: Date | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;
}

class RuleOverrideVersionsDto {
  @ApiProperty({ type: [RuleOverrideVersionDto], description: 'Newest first' })
  items!: RuleOverrideVersionDto[];
}

export class PatientProtocolsDto {
  @ApiProperty({ enum: PROTOCOL_KEYS, isArray: true, example: ['heart_failure'] })
  @IsArray()
  @ArrayMaxSize(PROTOCOL_KEYS.length)
  @IsIn(PROTOCOL_KEYS, { each: true })
  keys!: ProtocolKey[];
}

class RuleDto {
  @ApiProperty() id!: string;
  @ApiProperty({
    description:
      "Rules of one group share one alert per patient; a protocol's group replaces the defaults of that group only",
  })
  group!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    description: 'Clinical source of the cut-off, or a statement that it is a programme choice',
  })
  citation!: string;
  @ApiProperty({ description: 'The rule as docs/rules.schema.json describes it' })
  definition!: object;
  @ApiProperty({
    required: false,
    type: Boolean,
    description: 'A new alert from this rule first asks the patient to re-measure (pending_confirmation)',
  })
  remeasure?: true;
}

class PublishedRuleDto extends RuleDto {
  @ApiProperty({ description: 'The same text as `citation` (kept for clients written before it)' })
  source!: string;
}

class ProtocolDto {
  @ApiProperty({ enum: PROTOCOL_KEYS }) key!: ProtocolKey;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [PublishedRuleDto] }) rules!: PublishedRuleDto[];
}

class ProtocolListDto {
  @ApiProperty({ type: [ProtocolDto] }) items!: ProtocolDto[];
}

class EffectiveRuleDto extends RuleDto {
  @ApiProperty({
    enum: RULE_SOURCES,
    description:
      "default: the safety net every patient has; protocol: a rule of the patient's protocols, which replaces the defaults of its group; override: the patient's own version",
  })
  source!: RuleSource;
  @ApiProperty({ enum: PROTOCOL_KEYS, nullable: true, description: 'null: a default rule' })
  protocol!: ProtocolKey | null;
  @ApiProperty({ description: "0: as published; n: the patient's override version n" }) version!: number;
  @ApiProperty({ type: RuleOverrideVersionDto, nullable: true, description: 'The override in force' })
  override!: RuleOverrideVersionDto | null;
}

class PatientRulesDto {
  @ApiProperty({ enum: PROTOCOL_KEYS, isArray: true }) protocols!: ProtocolKey[];
  @ApiProperty({ type: [EffectiveRuleDto] }) items!: EffectiveRuleDto[];
}

@ApiTags('rules')
@ApiBearerAuth()
@Controller()
export class ProtocolsController {
  constructor(
    private readonly protocols: ProtocolService,
    private readonly overrides: RuleOverrideService,
  ) {}

  @Get('protocols')
  @ApiOkResponse({ type: ProtocolListDto, description: 'The protocol templates an organisation starts from' })
  list(): ProtocolListDto {
    return {
      items: this.protocols.list().map((protocol) => ({
        ...protocol,
        rules: protocol.rules.map((rule) => ({ ...rule, source: rule.citation })),
      })),
    };
  }

  @Put('patients/:patientId/protocols')
  @Roles('admin', 'coordinator', 'clinician')
  @ApiOkResponse({ type: PatientProtocolsDto })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async set(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Body() body: PatientProtocolsDto,
  ): Promise<PatientProtocolsDto> {
    return { keys: await this.protocols.setForPatient(principal, patientId, body.keys) };
  }

  @Get('patients/:patientId/rules')
  @ApiOkResponse({ type: PatientRulesDto, description: "The patient's effective rules" })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async rules(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
  ): Promise<PatientRulesDto> {
    const { protocols, rules } = await this.protocols.rulesForPatient(principal, patientId);
    return { protocols, items: [...rules] };
  }

  @Put('patients/:patientId/rules/:ruleId/override')
  @Roles('admin', 'clinician')
  @ApiOkResponse({ type: EffectiveRuleDto, description: 'The rule as it now applies to the patient' })
  @ApiBadRequestResponse({
    description:
      'invalid_rule, rule_override_kind, rule_override_types (reads other vitals than the rule), rule_override_owner, rule_override_expiry',
  })
  @ApiForbiddenResponse({
    description: "Changing a patient's cut-offs is a clinical decision: clinicians and admins",
  })
  @ApiNotFoundResponse({ description: "No such patient, or rule_not_found: not one of the patient's rules" })
  setOverride(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @RuleIdParam() ruleId: string,
    @Body() body: RuleOverrideDto,
  ): Promise<EffectiveRuleDto> {
    return this.overrides.set(principal, patientId, ruleId, {
      definition: body.definition,
      reason: body.reason,
      ownerId: body.ownerId,
      expiresAt: body.expiresAt === undefined ? undefined : new Date(body.expiresAt),
    });
  }

  @Delete('patients/:patientId/rules/:ruleId/override')
  @HttpCode(200)
  @Roles('admin', 'clinician')
  @ApiOkResponse({ type: EffectiveRuleDto, description: 'The rule as published, which applies again' })
  @ApiNotFoundResponse({ description: 'rule_override_not_found: no override of the rule is in force' })
  endOverride(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @RuleIdParam() ruleId: string,
    @Body() body: RuleOverrideEndDto,
  ): Promise<EffectiveRuleDto> {
    return this.overrides.end(principal, patientId, ruleId, body.reason);
  }

  @Get('patients/:patientId/rules/:ruleId/versions')
  @ApiOkResponse({ type: RuleOverrideVersionsDto, description: "Every version of the patient's override" })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @RuleIdParam() ruleId: string,
  ): Promise<RuleOverrideVersionsDto> {
    return { items: await this.overrides.versions(principal, patientId, ruleId) };
  }
}
