import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@homeward/platform';
import { CurrentPrincipal, type Principal } from '@homeward/identity';
import { VitalListDto, VitalsQueryDto, mapVital } from './vital.dto';
import { VitalsService } from './vitals.service';

const PatientId = () => UuidParam('patientId');

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class VitalsController {
  constructor(private readonly vitals: VitalsService) {}

  @Get(':patientId/vitals')
  @ApiOkResponse({ type: VitalListDto, description: 'Readings, newest first' })
  @ApiNotFoundResponse({ description: 'No such patient in your organisation' })
  async listVitals(
    @CurrentPrincipal() principal: Principal,
    @PatientId() patientId: string,
    @Query() query: VitalsQueryDto,
  ): Promise<VitalListDto> {
    const rows = await this.vitals.list(principal, patientId, {
      type: query.type,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    return { items: rows.map(mapVital) };
  }
}
