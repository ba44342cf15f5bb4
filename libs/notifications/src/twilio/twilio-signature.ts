import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as Express's urlencoded parser gives them: a repeated name is an array. */
export type TwilioParams = Record<string, string | string[]>;

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the account's auth token, of the full
 * URL Twilio requested followed by every POST parameter's name and value, sorted by name
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security). A repeated name contributes
 * each of its values, sorted, as twilio-node's `validateRequest` does. A few lines of node:crypto
 * instead of the `twilio` package, which brings axios, jsonwebtoken and dayjs for this one HMAC.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    for (const item of Array.isArray(value) ? [...value].sort() : [value]) data += name + item;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Whether `signature` (the X-Twilio-Signature header) signs `url` and `params`; compared in constant time. */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Form parameters when every value is text (Twilio's are); undefined for nested or odd bodies. */
export function asTwilioParams(body: unknown): TwilioParams | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params: TwilioParams = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') params[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) params[name] = value;
    else return undefined;
  }
  return params;
}
