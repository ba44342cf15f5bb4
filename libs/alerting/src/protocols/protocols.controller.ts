import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@homeward/identity';
import { UuidParam } from '@homeward/platform';
import { PROTOCOL_KEYS, type ProtocolKey } from '../rules/protocols';
import { ProtocolService } from './protocol.service';

export class PatientProtocolsDto {
  @ApiProperty({ enum: PROTOCOL_KEYS, isArray: true, example: ['heart_failure'] })
  @IsArray()
  @ArrayMaxSize(PROTOCOL_KEYS.length)
  @IsIn(PROTOCOL_KEYS, { each: true })
  keys!: ProtocolKey[];
}

class RuleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Rules of one group share one alert per patient' }) group!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Clinical source of the cut-off' }) source!: string;
  @ApiProperty({ description: 'The rule as docs/rules.schema.json describes it' })
  definition!: object;
  @ApiProperty({
    required: false,
    type: Boolean,
    description: 'A new alert from this rule first asks the patient to re-measure (pending_confirmation)',
  })
  remeasure?: true;
}

class ProtocolDto {
  @ApiProperty({ enum: PROTOCOL_KEYS }) key!: ProtocolKey;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [RuleDto] }) rules!: RuleDto[];
}

class ProtocolListDto {
  @ApiProperty({ type: [ProtocolDto] }) items!: ProtocolDto[];
}

class EffectiveRuleDto extends RuleDto {
  @ApiProperty({ enum: PROTOCOL_KEYS, nullable: true, description: 'null: the default thresholds' })
  protocol!: ProtocolKey | null;
}

class PatientRulesDto {
  @ApiProperty({ enum: PROTOCOL_KEYS, isArray: true }) protocols!: ProtocolKey[];
  @ApiProperty({ type: [EffectiveRuleDto] }) items!: EffectiveRuleDto[];
}

@ApiTags('rules')
@ApiBearerAuth()
@Controller()
export class ProtocolsController {
  constructor(private readonly protocols: ProtocolService) {}

  @Get('protocols')
  @ApiOkResponse({ type: ProtocolListDto, description: 'The protocol templates an organisation starts from' })
  list(): ProtocolListDto {
    return {
      items: this.protocols.list().map((protocol) => ({ ...protocol, rules: [...protocol.rules] })),
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
    return { protocols, items: rules };
  }
}
