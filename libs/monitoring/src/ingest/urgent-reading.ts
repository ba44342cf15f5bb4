/**
 * Decides from one reading (its type, and its value in the catalogue unit) that the message
 * holding it should be committed at once instead of waiting for a full batch. Monitoring knows
 * no rules: whichever domain does (alerting) provides it, and the app passes it in.
 */
export type UrgentReadingScreen = (reading: { type: string; value: number }) => boolean;

export const URGENT_READING_SCREEN = Symbol('URGENT_READING_SCREEN');
