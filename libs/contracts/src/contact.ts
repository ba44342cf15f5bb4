/** E.164: a +, a country code that does not start with 0, at most 15 digits (ITU-T E.164). */
export const E164 = /^\+[1-9][0-9]{6,14}$/;
