import { ForbiddenException, type ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '@homeward/config';
import type { Logger } from '@homeward/observability';
import { twilioSignature } from './twilio-signature';
import { TwilioSignatureGuard } from './twilio-signature.guard';

const TOKEN = 'a-twilio-auth-token-for-tests';
const silent = { warn: () => undefined } as unknown as Logger;

function context(request: { originalUrl: string; body: unknown; signature?: string }): ExecutionContext {
  const req = {
    ...request,
    path: request.originalUrl.split('?')[0],
    header: (name: string) => (name.toLowerCase() === 'x-twilio-signature' ? request.signature : undefined),
  };
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

function guard(config: Partial<AppConfig>): TwilioSignatureGuard {
  return new TwilioSignatureGuard({ PORT: 3000, ...config } as AppConfig, silent);
}

describe('the Twilio webhook guard', () => {
  const body = { From: '+447700900123', Body: 'ACK', MessageSid: 'SM0123' };
  const path = '/api/webhooks/twilio/inbound?x=1';

  it('checks the signature against PUBLIC_URL and the path Twilio called, not the address the proxy used', () => {
    const signed = twilioSignature(TOKEN, `https://homeward.example.org${path}`, body);
    const configured = guard({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_URL: 'https://homeward.example.org' });
    expect(configured.canActivate(context({ originalUrl: path, body, signature: signed }))).toBe(true);
    const elsewhere = twilioSignature(TOKEN, `http://10.0.0.5:3000${path}`, body);
    expect(() => configured.canActivate(context({ originalUrl: path, body, signature: elsewhere }))).toThrow(
      ForbiddenException,
    );
  });

  it('refuses with 403 while Twilio is not configured, and bodies that are not flat forms', () => {
    const signed = twilioSignature(TOKEN, `http://localhost:3000${path}`, body);
    expect(() => guard({}).canActivate(context({ originalUrl: path, body, signature: signed }))).toThrow(
      ForbiddenException,
    );
    const configured = guard({ TWILIO_AUTH_TOKEN: TOKEN });
    expect(configured.canActivate(context({ originalUrl: path, body, signature: signed }))).toBe(true);
    for (const odd of [undefined, 'From=x', { From: { nested: 'x' } }])
      expect(() =>
        configured.canActivate(context({ originalUrl: path, body: odd, signature: signed })),
      ).toThrow(ForbiddenException);
  });
});
