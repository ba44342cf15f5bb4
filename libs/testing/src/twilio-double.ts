import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort, waitFor } from './ports';

export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
}

/**
 * Twilio's request signature, written here independently of the product's verifier from the
 * documented algorithm (https://www.twilio.com/docs/usage/webhooks/webhooks-security): base64
 * HMAC-SHA1 of the URL and each parameter's name and value, sorted by name, keyed with the token.
 */
function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * A loopback double of the part of Twilio's REST API Homeward uses: `POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json`, with HTTP basic auth checked against the
 * account (401, Twilio error 20003, otherwise), `To` checked as E.164 (400, error 21211), each
 * accepted message recorded and answered 201 with its `SM…` sid. It plays Twilio's side of the
 * webhooks too: signed status callbacks and signed inbound messages
 * (https://www.twilio.com/docs/messaging/api/message-resource).
 */
export class TwilioDouble {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  readonly from = '+15005550006';
  readonly messages: TwilioMessage[] = [];
  /** Requests refused for bad credentials. */
  unauthorized = 0;
  /** Numbers Twilio refuses as invalid (error 21211, a 400). */
  readonly invalidNumbers = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TwilioDouble> {
    const port = await freePort();
    const server = createServer();
    const double = new TwilioDouble(server, port);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      double
        .handle(request, response)
        .catch((error: Error) => json(response, 500, { message: error.message }));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return double;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** TWILIO_* for Homeward. */
  env(): Record<string, string> {
    return {
      TWILIO_ACCOUNT_SID: this.accountSid,
      TWILIO_AUTH_TOKEN: this.authToken,
      TWILIO_FROM: this.from,
      TWILIO_API_URL: this.apiUrl,
    };
  }

  to(phone: string): TwilioMessage[] {
    return this.messages.filter((message) => message.to === phone);
  }

  waitFor(predicate: (message: TwilioMessage) => boolean, what = 'an SMS'): Promise<TwilioMessage> {
    return waitFor(() => this.messages.find(predicate), { what, timeoutMs: 20_000 });
  }

  /** Posts a message's delivery status to its StatusCallback, signed as Twilio signs it. */
  async sendStatus(message: TwilioMessage, status: string, errorCode?: string): Promise<Response> {
    if (!message.statusCallback) throw new Error(`Message ${message.sid} named no StatusCallback`);
    return this.post(message.statusCallback, {
      AccountSid: this.accountSid,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      To: message.to,
      From: message.from,
      ApiVersion: '2010-04-01',
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    });
  }

  /** Posts an SMS from `from` to the account's number to `url`, as Twilio's incoming-message webhook does. */
  sendInbound(url: string, from: string, body: string, signature?: string): Promise<Response> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    return this.post(
      url,
      {
        AccountSid: this.accountSid,
        MessageSid: sid,
        SmsMessageSid: sid,
        From: from,
        To: this.from,
        Body: body,
        NumMedia: '0',
        NumSegments: '1',
        ApiVersion: '2010-04-01',
      },
      signature,
    );
  }

  /** POSTs form `params` to `url` with Twilio's signature, or with `signature` when given. */
  post(url: string, params: Record<string, string>, signature?: string): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? sign(this.authToken, url, params),
      },
      body: new URLSearchParams(params),
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      this.unauthorized += 1;
      return json(response, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (request.method !== 'POST' || request.url !== path)
      return json(response, 404, {
        code: 20404,
        message: 'The requested resource was not found',
        status: 404,
      });
    const form = new URLSearchParams(await readBody(request));
    const to = form.get('To') ?? '';
    if (!/^\+[1-9][0-9]{6,14}$/.test(to) || this.invalidNumbers.has(to))
      return json(response, 400, {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        status: 400,
      });
    const message: TwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
    };
    this.messages.push(message);
    json(response, 201, { sid: message.sid, status: 'queued', to, from: message.from, body: message.body });
  }
}
