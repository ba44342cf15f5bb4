/*
 * PostgreSQL array literals for the hot path's `unnest` parameters. pg serialises a JavaScript
 * array element by element, quoting, escaping and concatenating each one: at full load that was
 * the largest source of garbage in ingest. These build the same text with one join where the
 * elements need no escaping, and quote element by element only where they do.
 */

/** Elements that must be escaped inside a quoted array element. */
const NEEDS_ESCAPE = /["\\]/;

/** `{"a","b",NULL}`: every element quoted, so whitespace, commas and braces stay inside it. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  if (values.length === 0) return '{}';
  if (values.every((value) => value !== null && !NEEDS_ESCAPE.test(value)))
    return `{"${values.join('","')}"}`;
  const elements = values.map((value) =>
    value === null ? 'NULL' : `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`,
  );
  return `{${elements.join(',')}}`;
}

/** `{1,2.5,-3}`: JavaScript's shortest round-trip form, which float8 and int read exactly. */
export function numberArrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** `{"2026-11-26T07:02:11.000Z",...}`: instants in UTC, as timestamptz reads them. */
export function timestampArrayLiteral(values: readonly Date[]): string {
  return textArrayLiteral(values.map((value) => value.toISOString()));
}

/** `{"\\x00ff",...}`: bytea's hex format, its backslash escaped inside the quoted element. */
export function byteaArrayLiteral(values: readonly Buffer[]): string {
  return `{${values.map((value) => `"\\\\x${value.toString('hex')}"`).join(',')}}`;
}
