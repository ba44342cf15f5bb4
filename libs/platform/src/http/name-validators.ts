import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069), directional
 * marks (U+200E, U+200F, U+061C) and invisible characters (U+200B–U+200D, U+2060, U+FEFF):
 * in a name they make "Alice" display as someone else, or two names look identical while
 * differing (Unicode Technical Report 36, "Bidirectional Text Spoofing"; CVE-2021-42574).
 * The zero-width non-joiner and joiner (U+200C, U+200D) are spelling inside a word in Persian
 * and Indic scripts (Unicode 15, §23.2): allowed between two letters or marks, refused elsewhere.
 */
const HIDDEN_OR_BIDI =
  /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}])/u;

/** The first hidden or bidirectional control character in a name, as `U+XXXX`, or undefined. */
export function findHiddenCharacter(text: string): string | undefined {
  const match = HIDDEN_OR_BIDI.exec(text);
  return match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** A person's or device's name: refuses bidirectional controls and invisible characters. */
export const IsDisplayName = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDisplayName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || findHiddenCharacter(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'name'} contains an invisible or text-direction control character (${findHiddenCharacter(String(args?.value)) ?? ''}); type the name without it`,
      },
    },
    options,
  );

/** Today's date (YYYY-MM-DD) where it is latest on Earth (UTC+14), so no one's today is refused. */
export function latestToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date that is not in the future anywhere (a birth date, say). */
export const IsNotFutureDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isNotFutureDate',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value <= latestToday(),
        defaultMessage: (args) => `${args?.property ?? 'date'} must not be in the future`,
      },
    },
    options,
  );
