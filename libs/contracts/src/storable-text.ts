/**
 * Text PostgreSQL cannot store: `text` and `jsonb` refuse NUL (`invalid byte sequence for
 * encoding "UTF8": 0x00`, failing the whole transaction), and a lone UTF-16 surrogate has no
 * UTF-8 form (the driver would silently store U+FFFD instead). JSON's `\u0000` and `\ud800`
 * escapes produce exactly these, so every input path checks for them before SQL.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * The JSON pointer of the first string or property name in `value` that PostgreSQL cannot
 * store, or undefined when everything can be stored.
 */
export function findUnstorableText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path || '/';
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const pointer = `${path}/${escapeUnstorableText(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!isStorableText(key)) return pointer;
    const found = findUnstorableText(child, pointer);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Writes unstorable characters as visible `\uXXXX` escapes, for excerpts and error details. */
export function escapeUnstorableText(value: string): string {
  return value.replace(UNSTORABLE_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
