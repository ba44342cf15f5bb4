import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '../principal';
import { CurrentPrincipal, Roles } from '../auth/principal.decorator';
import { mapOidcProvider, OidcProviderDto, OidcProviderPutDto } from './oidc.dto';
import { OidcConfigService } from './oidc-config.service';

@ApiTags('single sign-on')
@ApiBearerAuth()
@Controller('admin/oidc')
export class OidcAdminController {
  constructor(private readonly providers: OidcConfigService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({
    type: OidcProviderDto,
    description: "The organisation's provider, without its secret (configured: false when off)",
  })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async get(@CurrentPrincipal() principal: Principal): Promise<OidcProviderDto> {
    return mapOidcProvider(
      await this.providers.get(principal),
      await this.providers.whereToSignIn(principal),
    );
  }

  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: OidcProviderDto, description: 'Saved (audited); the secret is never answered' })
  @ApiBadRequestResponse({ description: 'oidc_issuer_invalid, oidc_client_secret_required' })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async put(
    @CurrentPrincipal() principal: Principal,
    @Body() body: OidcProviderPutDto,
  ): Promise<OidcProviderDto> {
    return mapOidcProvider(
      await this.providers.put(principal, body),
      await this.providers.whereToSignIn(principal),
    );
  }

  @Delete()
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Single sign-on turned off (audited); passwords keep working' })
  @ApiNotFoundResponse({ description: 'oidc_not_configured' })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async delete(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.providers.delete(principal);
  }
}
