import { BadRequestException } from '@nestjs/common';

/** The reason is blank once trimmed, or longer than the column holds. */
export class InvalidBreakGlassReasonError extends BadRequestException {
  constructor() {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'invalid_reason',
      message: 'A reason of 1 to 2000 characters (not counting surrounding spaces) is required',
    });
  }
}
