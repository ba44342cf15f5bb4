import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

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
}

export class LoginResponseDto {
  @ApiProperty({ description: 'JWT for the Authorization: Bearer header and the socket handshake' })
  accessToken!: string;
  @ApiProperty({ description: 'Lifetime of the token in seconds' })
  expiresIn!: number;
  @ApiProperty()
  user!: { id: string; organizationId: string; role: string };
}
