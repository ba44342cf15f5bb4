import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig, publicUrl } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { asTwilioParams, isValidTwilioSignature } from './twilio-signature';

/**
 * Lets a webhook request through only when Twilio signed it. Twilio signs the URL it was told to
 * call, which behind a proxy is not the one Express sees: PUBLIC_URL plus the request's path and
 * query is what Twilio was configured with (docs/notifications.md). Anything unsigned, badly
 * signed, or not a flat form body is a 403, never a 500; so is every request while Twilio is not
 * configured.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = this.config.TWILIO_AUTH_TOKEN;
    const params = asTwilioParams(request.body);
    const signature = request.header('x-twilio-signature');
    const url = `${publicUrl(this.config)}${request.originalUrl}`;
    if (token && params && isValidTwilioSignature(token, signature, url, params)) return true;
    this.logger.warn(
      { path: request.path, signed: Boolean(signature), configured: Boolean(token) },
      'Twilio webhook refused: signature missing or invalid',
    );
    throw new ForbiddenException({
      statusCode: 403,
      error: 'Forbidden',
      code: 'invalid_signature',
      message: 'The request does not carry a valid X-Twilio-Signature',
    });
  }
}
