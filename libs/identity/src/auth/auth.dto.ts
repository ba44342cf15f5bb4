import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '@homeward/contracts';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'coordinator@demo.homeward.test' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;

  @ApiPropertyOptional({
    description: 'Once an authenticator is set up: its current 6-digit code, or an unused recovery code',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code?: string;
}

export class LoginUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token the last sign-in or refresh answered' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  refreshToken!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'JWT for the Authorization: Bearer header and the socket handshake' })
  accessToken!: string;
  @ApiProperty({ description: 'Lifetime of the access token in seconds' })
  expiresIn!: number;
  @ApiProperty({
    description:
      'Opaque token for POST /api/auth/refresh. Single use: each refresh answers a new one, and presenting a replaced one again ends the session',
  })
  refreshToken!: string;
  @ApiProperty({ type: LoginUserDto })
  user!: LoginUserDto;
}
