import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';

/** LiveKit webhook events already applied (`livekit_webhook_events`): LiveKit retries, so each applies once. */
@Injectable()
export class WebhookEventRepository {
  /** True the first time an event id is claimed; false for a repeat. */
  async claim(event: { id: string; event: string; roomName: string | null }, q: Queryable): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO livekit_webhook_events (id, event, room_name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [event.id, event.event, event.roomName],
    );
    return rowCount === 1;
  }
}
