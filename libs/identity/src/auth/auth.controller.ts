import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@homeward/platform';
import type { Principal } from '../principal';
import { CurrentUserDto, mapCurrentUser } from '../users/user.dto';
import { AuthService } from './auth.service';
import { CurrentPrincipal } from './principal.decorator';
import { LoginDto, LoginResponseDto } from './auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Unknown email or wrong password' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  async login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    const { accessToken, expiresIn, principal } = await this.auth.login(body.email, body.password);
    return {
      accessToken,
      expiresIn,
      user: { id: principal.userId, organizationId: principal.organizationId, role: principal.role },
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: CurrentUserDto, description: 'The signed-in user, their role and organisation' })
  @ApiUnauthorizedResponse({ description: 'No valid session, or the account was disabled' })
  async me(@CurrentPrincipal() principal: Principal): Promise<CurrentUserDto> {
    const { user, organization } = await this.auth.currentUser(principal);
    return mapCurrentUser(user, organization);
  }
}
