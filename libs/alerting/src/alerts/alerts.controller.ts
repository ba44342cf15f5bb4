import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@homeward/identity';
import { AlertService } from './alert.service';
import { AlertListDto, AlertQueryDto } from './alert.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @ApiOkResponse({
    type: AlertListDto,
    description: "The organisation's alerts, newest (highest sequence) first",
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AlertQueryDto): Promise<AlertListDto> {
    return { items: await this.alerts.list(principal, query) };
  }
}
