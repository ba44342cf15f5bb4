import { asTwilioParams, isValidTwilioSignature, twilioSignature } from './twilio-signature';

/**
 * The worked example Twilio's helper libraries test against (twilio-csharp
 * RequestValidatorTest, twilio-php RequestValidatorTest): auth token 12345, this URL and these
 * parameters give this signature. An outside vector, so a self-consistent but wrong HMAC fails.
 */
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe("Twilio's webhook signature", () => {
  it("reproduces Twilio's published example, whatever order the parameters arrive in", () => {
    expect(twilioSignature(TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL, reversed)).toBe(true);
  });

  it('refuses a changed value, URL, token or signature, and a missing one', () => {
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Digits: '9999' })).toBe(false);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Extra: '' })).toBe(false);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, `${URL}&baz=3`, PARAMS)).toBe(false);
    expect(isValidTwilioSignature('54321', SIGNATURE, URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8', URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, undefined, URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, '', URL, PARAMS)).toBe(false);
  });

  it('signs text with NUL characters and non-ASCII as the bytes Twilio sent', () => {
    const params = { Body: 'ACK\u0000 — ✓', From: '+447700900123' };
    const signature = twilioSignature(TOKEN, URL, params);
    expect(isValidTwilioSignature(TOKEN, signature, URL, params)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, signature, URL, { ...params, Body: 'ACK — ✓' })).toBe(false);
  });

  it('takes flat form bodies only', () => {
    expect(asTwilioParams({ Body: 'ACK', MediaUrl: ['a', 'b'] })).toEqual({
      Body: 'ACK',
      MediaUrl: ['a', 'b'],
    });
    expect(asTwilioParams({ Body: { nested: 'x' } })).toBeUndefined();
    expect(asTwilioParams('Body=ACK')).toBeUndefined();
    expect(asTwilioParams(undefined)).toBeUndefined();
  });
});
