import {
  ConflictException,
  GoneException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { VisitStatus } from '@homeward/contracts';

/** LiveKit is not configured: every visit route answers this, and says how to fix it. */
export class VideoNotConfiguredError extends ServiceUnavailableException {
  constructor() {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'video_not_configured',
      message:
        'Video visits are not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (a LiveKit server or a LiveKit Cloud project; see docs/telehealth.md) and restart the API',
    });
  }
}

/** LiveKit did not answer or refused: nothing was changed. */
export class VideoUnavailableError extends ServiceUnavailableException {
  constructor() {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'video_unavailable',
      message: 'The video service did not answer; nothing was changed. Try again in a moment.',
    });
  }
}

export class VisitClosedError extends ConflictException {
  constructor(
    readonly visitId: string,
    readonly visitStatus: VisitStatus,
    action: string,
  ) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'visit_closed',
      message: `Cannot ${action} a visit that is ${visitStatus.replace('_', ' ')}`,
      status: visitStatus,
    });
  }
}

export class LinkNotFoundError extends NotFoundException {
  constructor() {
    super({
      statusCode: 404,
      error: 'Not Found',
      code: 'link_not_found',
      message: 'This visit link is not valid. Ask your care team for a new link.',
    });
  }
}

export class LinkUsedError extends GoneException {
  constructor() {
    super({
      statusCode: 410,
      error: 'Gone',
      code: 'link_used',
      message: 'This visit link has already been used. Ask your care team for a new link.',
    });
  }
}

export class LinkExpiredError extends GoneException {
  constructor(reason: 'expired' | 'voided' | 'visit_closed') {
    const why = {
      expired: 'This visit link has expired.',
      voided: 'This visit link was replaced by a newer one.',
      visit_closed: 'This visit has ended.',
    }[reason];
    super({
      statusCode: 410,
      error: 'Gone',
      code: 'link_expired',
      message: `${why} Ask your care team for a new link.`,
      reason,
    });
  }
}

export class InvalidWebhookSignatureError extends UnauthorizedException {
  constructor() {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'invalid_signature',
      message: 'The webhook signature is missing or does not match its body',
    });
  }
}
