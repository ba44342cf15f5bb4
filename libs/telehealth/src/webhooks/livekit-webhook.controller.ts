import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '@homeward/platform';
import type { WebhookAcceptedDto } from '../visits/visit.dto';
import { VisitWebhookService } from './visit-webhook.service';

/**
 * LiveKit's webhook (https://docs.livekit.io/home/server/webhooks/). Its body arrives unparsed
 * (the HTTP set-up keeps this path's raw bytes), because the signature covers the exact bytes.
 */
@ApiExcludeController()
@Controller('livekit')
export class LiveKitWebhookController {
  constructor(private readonly webhooks: VisitWebhookService) {}

  @Post('webhook')
  @Public()
  @HttpCode(200)
  async receive(@Req() request: Request): Promise<WebhookAcceptedDto> {
    const body: unknown = request.body;
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const outcome = await this.webhooks.receive(
      Buffer.isBuffer(body) ? body : undefined,
      request.headers.authorization,
      requestId,
    );
    return { outcome };
  }
}
