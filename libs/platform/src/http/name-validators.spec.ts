import { validateSync } from 'class-validator';
import { IsDisplayName, IsNotFutureDate, findHiddenCharacter, latestToday } from './name-validators';

class Person {
  @IsDisplayName() name!: string;
  @IsNotFutureDate() birthDate!: string;
}

function errors(name: string, birthDate = '1950-01-01'): string[] {
  return validateSync(Object.assign(new Person(), { name, birthDate })).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
}

describe('name and date validators', () => {
  it.each([
    ['right-to-left override', 'Ali\u202Ece'],
    ['left-to-right isolate', 'Bo\u2066b'],
    ['pop directional isolate', 'Bob\u2069'],
    ['right-to-left mark', 'Eve\u200F'],
    ['zero-width space', 'Ma\u200Bria'],
    ['zero-width joiner at the start', '\u200DMaria'],
    ['zero-width non-joiner after a space', 'Maria \u200CJose'],
    ['word joiner', 'Ma\u2060ria'],
    ['byte-order mark', '\uFEFFMaria'],
  ])('refuses a name with a %s', (_, name) => {
    expect(errors(name)).toEqual([
      expect.stringMatching(
        /name contains an invisible or text-direction control character \(U\+[0-9A-F]{4}\)/,
      ),
    ]);
  });

  it('accepts names in any script, with accents, apostrophes and hyphens, and joiners inside words', () => {
    // Mohammadreza in Persian (a non-joiner between its two parts) and Lakshmi in Devanagari (a joiner).
    const persian = 'محمد\u200Cرضا';
    const devanagari = 'लक्\u200Dष्मी';
    for (const name of [
      'María José',
      "O'Brien-Smith",
      'محمد',
      'שרה',
      '李小龍',
      'Zoë Ngũgĩ',
      persian,
      devanagari,
    ])
      expect(errors(name)).toEqual([]);
  });

  it('names the character it found', () => {
    expect(findHiddenCharacter('a\u202Eb')).toBe('U+202E');
    expect(findHiddenCharacter('plain')).toBeUndefined();
  });

  it('refuses a birth date in the future, and accepts today wherever it is today', () => {
    expect(errors('Maria', '2999-01-01')).toEqual(['birthDate must not be in the future']);
    expect(errors('Maria', latestToday())).toEqual([]);
    expect(errors('Maria', new Date().toISOString().slice(0, 10))).toEqual([]);
    expect(latestToday(new Date('2026-12-07T10:00:00Z'))).toBe('2026-12-08');
  });
});
