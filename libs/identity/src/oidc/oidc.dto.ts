import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { OidcProviderRow } from '../identity.rows';

export class OidcProviderPutDto {
  @ApiProperty({ example: 'https://login.example.org/realms/riverside', description: 'The issuer (https)' })
  @IsString()
  @MaxLength(500)
  issuer!: string;

  @ApiProperty({ example: 'homeward-console' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientId must be printable ASCII without spaces' })
  clientId!: string;

  @ApiPropertyOptional({
    description: 'Required the first time; left out, the stored secret is kept. Never answered.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(/^[\x20-\x7e]+$/, { message: 'clientSecret must be printable ASCII' })
  clientSecret?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['riverside.example.org'],
    description: 'Only emails in these domains sign in; empty or left out: any domain',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^@?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, {
    each: true,
    message: 'each allowed email domain must be a domain name',
  })
  allowedEmailDomains?: string[];
}

/** An organisation's single sign-on as admins see it: never its secret. */
export class OidcProviderDto {
  @ApiProperty({ description: 'Whether a provider is set up' }) configured!: boolean;
  @ApiProperty({ type: String, nullable: true }) issuer!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientId!: string | null;
  @ApiProperty({ type: [String] }) allowedEmailDomains!: string[];
  @ApiProperty({ description: 'The redirect URI to register at the provider' }) redirectUri!: string;
  @ApiProperty({ description: "The organisation's short name, which people type to sign in" })
  organizationSlug!: string;
  @ApiProperty({ type: String, nullable: true }) updatedAt!: string | null;
}

export function mapOidcProvider(
  row: OidcProviderRow | undefined,
  where: { redirectUri: string; organizationSlug: string },
): OidcProviderDto {
  return {
    configured: Boolean(row),
    issuer: row?.issuer ?? null,
    clientId: row?.clientId ?? null,
    allowedEmailDomains: row?.allowedEmailDomains ?? [],
    ...where,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export class OidcStartQueryDto {
  @ApiProperty({ example: 'riverside-clinic', description: "The organisation's slug" })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'organization must be an organisation slug' })
  organization!: string;
}

export class OidcExchangeDto {
  @ApiProperty({ description: 'The one-time code the console received after single sign-on' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'code must be a single sign-on code' })
  code!: string;
}
