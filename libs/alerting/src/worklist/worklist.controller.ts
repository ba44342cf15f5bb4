import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { WorklistDto, WorklistQueryDto, mapWorklistEntry } from './worklist.dto';
import { WorklistService } from './worklist.service';

/**
 * The patients list of the console. Its own path rather than `patients/worklist`, which the
 * patients domain's `patients/:patientId` route (registered first, UUIDs only) would answer.
 */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('worklist')
export class WorklistController {
  constructor(private readonly worklist: WorklistService) {}

  @Get()
  @ApiOkResponse({
    type: WorklistDto,
    description:
      'Patients with their last reading, open alerts, protocols and adherence; searched, sorted (ties by name) and paged',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: WorklistQueryDto,
  ): Promise<WorklistDto> {
    const page = await this.worklist.list(principal, query);
    return { total: page.total, items: page.items.map(mapWorklistEntry) };
  }
}
