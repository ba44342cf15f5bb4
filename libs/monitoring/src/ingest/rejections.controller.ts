import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { REJECTION_REASONS, type RejectionReason } from '@homeward/contracts';
import { CurrentPrincipal, Roles } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { RejectionsService } from './rejections.service';

export class RejectionQueryDto {
  @ApiPropertyOptional({ description: 'Only this device' })
  @IsOptional()
  @IsUUID('4')
  deviceId?: string;

  @ApiPropertyOptional({ enum: REJECTION_REASONS })
  @IsOptional()
  @IsIn(REJECTION_REASONS)
  reason?: RejectionReason;

  @ApiPropertyOptional({ type: 'integer', description: 'The next page: the last id of the previous one' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  beforeId?: number;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}

class RejectionDto {
  @ApiProperty() id!: string;
  @ApiProperty() receivedAt!: Date;
  @ApiProperty() topic!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty({ nullable: true }) messageId!: string | null;
  @ApiProperty({ enum: REJECTION_REASONS }) reason!: string;
  @ApiProperty({ description: 'What was wrong, specifically' }) detail!: string;
  @ApiProperty({ description: 'Size of the payload as received' }) payloadBytes!: number;
  @ApiProperty({ description: 'The payload as text, at most 4 KiB' }) payloadExcerpt!: string;
}

class RejectionListDto {
  @ApiProperty({ type: [RejectionDto], description: 'Newest first' }) items!: RejectionDto[];
}

@ApiTags('devices')
@ApiBearerAuth()
@Controller('ingest')
export class RejectionsController {
  constructor(private readonly rejections: RejectionsService) {}

  @Get('rejections')
  @Roles('admin')
  @ApiOkResponse({
    type: RejectionListDto,
    description: "Messages from your organisation's devices that ingest refused",
  })
  @ApiForbiddenResponse({ description: 'Admins only' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RejectionQueryDto,
  ): Promise<RejectionListDto> {
    return {
      items: await this.rejections.list(principal, {
        deviceId: query.deviceId,
        reason: query.reason,
        beforeId: query.beforeId === undefined ? undefined : String(query.beforeId),
        limit: query.limit,
      }),
    };
  }
}
