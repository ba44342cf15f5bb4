import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { Public } from '@homeward/platform';
import { VisitCodeJoinDto, VisitJoinCodeDto } from '../visits/visit.dto';
import { VisitJoinService } from './visit-join.service';

/** The patient's and guest's way in: a one-time code, no account. */
@ApiTags('visits')
@Controller('visits')
export class VisitLinksController {
  constructor(private readonly joins: VisitJoinService) {}

  @Public()
  @Post('join')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOkResponse({
    type: VisitCodeJoinDto,
    description: 'A patient or guest token for the visit, once per link',
  })
  @ApiNotFoundResponse({ description: '`link_not_found`' })
  @ApiGoneResponse({
    description: '`link_used`, or `link_expired` (expired, replaced by a newer link, or the visit ended)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  @ApiServiceUnavailableResponse({ description: '`video_not_configured` or `video_unavailable`' })
  async join(@Body() body: VisitJoinCodeDto, @Req() request: Request): Promise<VisitCodeJoinDto> {
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const joined = await this.joins.redeem(body.code, requestId);
    return {
      url: joined.url,
      token: joined.token,
      expiresAt: joined.expiresAt.toISOString(),
      visitId: joined.visitId,
      roomName: joined.roomName,
    };
  }
}
