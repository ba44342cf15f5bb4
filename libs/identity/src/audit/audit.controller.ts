import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ExpensiveWork } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentPrincipal, Roles } from '../auth/principal.decorator';
import { AuditService } from './audit.service';
import { AuditVerifyDto, AuditVerifyQueryDto } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly work: ExpensiveWork,
  ) {}

  @Get('verify')
  @Roles('admin')
  @ApiOkResponse({
    type: AuditVerifyDto,
    description:
      "Recomputes the organisation's audit hash chain over [from, to) and names the first broken row",
  })
  @ApiBadRequestResponse({ description: 'from is after to' })
  @ApiForbiddenResponse({ description: 'Admins only' })
  @ApiTooManyRequestsResponse({ description: 'busy: a verification of yours is already running' })
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditVerifyQueryDto,
  ): Promise<AuditVerifyDto> {
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from && to && from > to)
      throw new BadRequestException({ code: 'invalid_range', message: 'from must not be after to' });
    // Walking a long chain holds a connection for a while: bounded like previews and replays
    // (the API's HTTP module provides ExpensiveWork; AuditService also runs in processes without it).
    return this.work.run(principal.userId, 'an audit verification', () =>
      this.audit.verifyChain(principal, { from, to }),
    );
  }
}

const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** An ISO 8601 bound as a Date, refused when JavaScript or PostgreSQL could not hold it. */
function instant(value: string | undefined, field: string): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST)
    throw new BadRequestException({ code: 'invalid_range', message: `${field} is not a usable instant` });
  return date;
}
