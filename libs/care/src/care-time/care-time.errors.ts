import { BadRequestException, ConflictException } from '@nestjs/common';
import type { CareTimeRefusal } from './care-time-entry.rules';

/** The request names a month or an entry the ledger does not accept; the body says why. */
export class CareTimeRefusedError extends BadRequestException {
  constructor(refusal: CareTimeRefusal) {
    super({ statusCode: 400, error: 'Bad Request', ...refusal });
  }
}

/** Entries are voided once; the body carries when and why it was. */
export class CareTimeAlreadyVoidedError extends ConflictException {
  constructor(entry: { id: string; voidedAt: Date | null; voidReason: string | null }) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'already_voided',
      message: `Care-time entry ${entry.id} is already voided`,
      voidedAt: entry.voidedAt,
      voidReason: entry.voidReason,
    });
  }
}
