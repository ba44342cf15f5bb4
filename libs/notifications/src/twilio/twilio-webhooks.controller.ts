import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { escapeUnstorableText } from '@homeward/contracts';
import { Public } from '@homeward/platform';
import { NotificationService } from '../outbox/notification.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';

function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? escapeUnstorableText(value).slice(0, 200) : undefined;
}

/**
 * Twilio's message status callbacks (the StatusCallback each SMS names): form-encoded
 * `MessageSid`, `MessageStatus`, `ErrorCode`, signed (TwilioSignatureGuard).
 */
@ApiExcludeController()
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  constructor(private readonly notifications: NotificationService) {}

  @Post('status')
  @Public()
  @UseGuards(TwilioSignatureGuard)
  @HttpCode(204)
  async status(@Req() request: Request): Promise<void> {
    const providerMessageId = field(request.body, 'MessageSid');
    const status = field(request.body, 'MessageStatus');
    if (!providerMessageId || !status) return;
    await this.notifications.recordProviderStatus({
      providerMessageId,
      status,
      error: field(request.body, 'ErrorCode') ?? null,
    });
  }
}
