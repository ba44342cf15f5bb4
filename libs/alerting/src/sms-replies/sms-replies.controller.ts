import { Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { TwilioSignatureGuard } from '@homeward/notifications';
import { Public } from '@homeward/platform';
import { SmsAcknowledgementService } from './sms-acknowledgement.service';

function text(body: unknown, name: string): string {
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** TwiML that answers with `answer`, or with nothing (https://www.twilio.com/docs/messaging/twiml). */
function twiml(answer: string | null): string {
  const message = answer ? `<Message>${answer.replace(/[&<>"']/g, (c) => XML_ESCAPES[c])}</Message>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${message}</Response>`;
}

/**
 * SMS sent to TWILIO_FROM (Twilio's "A message comes in" webhook, form-encoded `From`, `Body`,
 * `MessageSid`), signed (TwilioSignatureGuard). Read from the request, not a validated DTO: a
 * signed reply with unusual text (a NUL, say) is still answered, as "not ACK".
 */
@ApiExcludeController()
@Controller('webhooks/twilio')
export class SmsRepliesController {
  constructor(private readonly acknowledgements: SmsAcknowledgementService) {}

  @Post('inbound')
  @Public()
  @UseGuards(TwilioSignatureGuard)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async inbound(@Req() request: Request): Promise<string> {
    const { answer } = await this.acknowledgements.handle({
      from: text(request.body, 'From'),
      body: text(request.body, 'Body'),
      messageSid: text(request.body, 'MessageSid'),
    });
    return twiml(answer);
  }
}
