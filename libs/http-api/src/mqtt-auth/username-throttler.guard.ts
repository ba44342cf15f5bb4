import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Throttles the broker's auth callbacks per MQTT username rather than per address: every
 * call comes from the broker, so an address limit would lock out all devices at once.
 */
@Injectable()
export class UsernameThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const body = request.body as { username?: unknown } | undefined;
    return Promise.resolve(`mqtt-user:${typeof body?.username === 'string' ? body.username : ''}`);
  }
}
