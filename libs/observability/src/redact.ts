/**
 * Credentials a log line must never carry in full (OWASP API Security Top 10 2023, API2; OWASP
 * Logging Cheat Sheet, "Data to exclude"): access and refresh tokens, one-time codes and
 * secrets. The logger's `redact` paths remove them from known fields; these functions cover
 * where they hide in text: a URL's query string and a JWT pasted into a message.
 */
export const REDACTED = '[Redacted]';

/** Query parameters whose value is a credential: tokens, one-time codes, secrets, signatures. */
const CREDENTIAL_PARAM =
  /^(access_token|refresh_token|id_token|token|code|state|invitation|invite|secret|password|signature|sig|key|api_key|apikey|x-amz-signature)$/i;

/** A JWT (header.payload.signature, base64url; the header always starts `eyJ`). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** A URL or path with every credential query parameter's value replaced. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return redactCredentials(url);
  const [query, fragment] = splitOnce(url.slice(queryAt + 1), '#');
  const params = query.split('&').map((pair) => {
    const [name] = splitOnce(pair, '=');
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: judge the name as sent.
    }
    return CREDENTIAL_PARAM.test(decoded) ? `${name}=${REDACTED}` : pair;
  });
  const rebuilt = `${url.slice(0, queryAt)}?${params.join('&')}${fragment === undefined ? '' : `#${fragment}`}`;
  return redactCredentials(rebuilt);
}

/** Any text with JWTs replaced, wherever they appear. */
export function redactCredentials(text: string): string {
  return text.replace(JWT, REDACTED);
}

/** A query object (Express `req.query`) with credential parameters replaced. */
export function redactQuery(query: unknown): unknown {
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query as Record<string, unknown>).map(([name, value]) => [
      name,
      CREDENTIAL_PARAM.test(name) ? REDACTED : value,
    ]),
  );
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
