import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { UuidParam } from '@homeward/platform';
import {
  CareTimeEntryDto,
  CareTimeMonthDto,
  CareTimeRecordDto,
  CareTimeVoidDto,
  mapCareTimeEntry,
  mapCareTimeMonth,
} from './care-time.dto';
import { CareTimeService } from './care-time.service';

@ApiTags('care')
@ApiBearerAuth()
@Controller('patients/:patientId/care-time')
export class CareTimeController {
  constructor(private readonly careTime: CareTimeService) {}

  @Get()
  @ApiQuery({
    name: 'month',
    required: false,
    example: '2026-03',
    description: "YYYY-MM on the patient's calendar (its time zone); default the current month",
  })
  @ApiOkResponse({
    type: CareTimeMonthDto,
    description: "The month's entries and the totals of those not voided",
  })
  @ApiBadRequestResponse({ description: 'care_time_month: month is not YYYY-MM' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async month(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Query('month') month?: string,
  ): Promise<CareTimeMonthDto> {
    return mapCareTimeMonth(await this.careTime.month(principal, patientId, month));
  }

  @Post()
  @Roles('clinician', 'coordinator')
  @ApiCreatedResponse({ type: CareTimeEntryDto, description: 'The entry, performed by you' })
  @ApiBadRequestResponse({
    description:
      'care_time_seconds (1–86400), care_time_performed_at (future or over a year ago), care_time_note',
  })
  @ApiForbiddenResponse({ description: 'Care time is logged by clinicians and coordinators' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async record(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Body() body: CareTimeRecordDto,
  ): Promise<CareTimeEntryDto> {
    const { performedAt, ...log } = body;
    return mapCareTimeEntry(
      await this.careTime.record(principal, patientId, { ...log, performedAt: new Date(performedAt) }),
    );
  }

  @Post(':entryId/void')
  @HttpCode(200)
  @Roles('clinician', 'coordinator')
  @ApiOkResponse({ type: CareTimeEntryDto, description: 'The voided entry' })
  @ApiBadRequestResponse({ description: 'care_time_reason: empty, too long or holding NUL characters' })
  @ApiConflictResponse({ description: 'already_voided' })
  @ApiForbiddenResponse({ description: 'Care time is voided by clinicians and coordinators' })
  @ApiNotFoundResponse({ description: 'No such patient or entry in your organisation' })
  async void(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @UuidParam('entryId') entryId: string,
    @Body() body: CareTimeVoidDto,
  ): Promise<CareTimeEntryDto> {
    return mapCareTimeEntry(await this.careTime.void(principal, patientId, entryId, body.reason));
  }
}
