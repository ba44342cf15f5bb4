import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { ConsentService, type Principal } from '@homeward/access';
import {
  ConsentCreateDto,
  ConsentListDto,
  ConsentResponseDto,
  ConsentRevokeDto,
  mapConsent,
} from './consent.dto';

const NOT_FOUND = { description: 'No such patient (or consent of that patient) in your organisation' };

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients/:patientId/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentService) {}

  @Post()
  @Roles('clinician', 'coordinator')
  @ApiCreatedResponse({ type: ConsentResponseDto })
  @ApiBadRequestResponse({
    description: '`invalid_consent`: a method other than written/verbal/electronic, or givenAt in the future',
  })
  @ApiNotFoundResponse(NOT_FOUND)
  async record(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Body() body: ConsentCreateDto,
  ): Promise<ConsentResponseDto> {
    const consent = await this.consents.record(principal, patientId, {
      scope: body.scope,
      method: body.method,
      givenAt: body.givenAt ? new Date(body.givenAt) : undefined,
      documentReference: body.documentReference,
    });
    return mapConsent(consent);
  }

  @Get()
  @ApiOkResponse({ type: ConsentListDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
  ): Promise<ConsentListDto> {
    return { items: (await this.consents.list(principal, patientId)).map(mapConsent) };
  }

  @Post(':consentId/revoke')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({ type: ConsentResponseDto, description: 'The consent, revoked' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: '`already_revoked`: the consent was revoked before' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @UuidParam('consentId') consentId: string,
    @Body() body: ConsentRevokeDto,
  ): Promise<ConsentResponseDto> {
    return mapConsent(await this.consents.revoke(principal, patientId, consentId, body.reason));
  }
}
