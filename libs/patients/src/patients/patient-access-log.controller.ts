import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { PageQueryDto } from './patient.dto';
import { AccessLogDto, mapAccessLogEntry } from './patient-access-log.dto';
import { PatientAccessLogService } from './patient-access-log.service';

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientAccessLogController {
  constructor(private readonly accessLog: PatientAccessLogService) {}

  @Get(':patientId/access-log')
  @Roles('admin', 'coordinator', 'clinician')
  @ApiOkResponse({
    type: AccessLogDto,
    description: "Who looked at or changed the patient's record, newest first",
  })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('patientId') patientId: string,
    @Query() page: PageQueryDto,
  ): Promise<AccessLogDto> {
    return { items: (await this.accessLog.list(principal, patientId, page)).map(mapAccessLogEntry) };
  }
}
