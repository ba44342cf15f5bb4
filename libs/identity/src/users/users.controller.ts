import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { Principal } from '../principal';
import { mapUserSummary, UserListDto } from './user.dto';
import { UserService } from './user.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOkResponse({
    type: UserListDto,
    description: "Your organisation's active users (names and roles), for assigning work",
  })
  async list(@CurrentPrincipal() principal: Principal): Promise<UserListDto> {
    return { items: (await this.users.colleagues(principal)).map(mapUserSummary) };
  }
}
