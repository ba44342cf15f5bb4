import { escapeUnstorableText, findUnstorableText, isStorableText } from './storable-text';

describe('text PostgreSQL can store', () => {
  it.each([
    ['plain text', 'Jane Doe'],
    ['accents and emoji (a full surrogate pair)', 'Zoë 😀'],
    ['an empty string', ''],
  ])('accepts %s', (_name, value) => {
    expect(isStorableText(value)).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
    ['a high surrogate at the very end', 'x\ud83d'],
  ])('refuses %s', (_name, value) => {
    expect(isStorableText(value)).toBe(false);
  });

  it('names the first unstorable string or property name by its JSON pointer', () => {
    expect(findUnstorableText({ a: ['ok', 'bad\u0000'] })).toBe('/a/1');
    expect(findUnstorableText({ ok: 1, 'x\u0000': 1 })).toBe('/x\\u0000');
    expect(findUnstorableText({ 'a/b': { '~': '\ud800' } })).toBe('/a~1b/~0');
    expect(findUnstorableText('\u0000')).toBe('/');
    expect(findUnstorableText({ a: [1, null, true, { b: 'fine' }] })).toBeUndefined();
  });

  it('escapes what cannot be stored as visible \\u sequences and leaves the rest alone', () => {
    expect(escapeUnstorableText('a\u0000b\ud800c😀')).toBe('a\\u0000b\\ud800c😀');
    expect(isStorableText(escapeUnstorableText('\udc00\u0000'))).toBe(true);
  });
});
