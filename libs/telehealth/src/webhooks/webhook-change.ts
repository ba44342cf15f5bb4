import type { WebhookEvent } from 'livekit-server-sdk';

/** What one LiveKit webhook event means for a visit. */
export type WebhookChange =
  | { kind: 'joined'; room: string; identity: string; sid: string; at: Date }
  | { kind: 'left'; room: string; identity: string; sid: string; at: Date }
  | { kind: 'room_finished'; room: string; at: Date }
  | { kind: 'ignored'; room: string | null };

/** Seconds or milliseconds since the epoch as LiveKit's int64 fields carry them; undefined for 0. */
function fromSeconds(value: bigint | undefined): Date | undefined {
  return value ? new Date(Number(value) * 1000) : undefined;
}
function fromMilliseconds(value: bigint | undefined): Date | undefined {
  return value ? new Date(Number(value)) : undefined;
}

/**
 * Maps a verified event (https://docs.livekit.io/home/server/webhooks/#events) to a change:
 * a join at the participant's own `joinedAtMs`, a leave or the room's end at the event's
 * `createdAt` (or `received` when LiveKit left it out). Other events change nothing.
 */
export function webhookChange(event: WebhookEvent, received: Date): WebhookChange {
  const room = event.room?.name || null;
  const at = fromSeconds(event.createdAt) ?? received;
  if (!room) return { kind: 'ignored', room };
  switch (event.event) {
    case 'participant_joined':
    case 'participant_left':
    case 'participant_connection_aborted': {
      const participant = event.participant;
      if (!participant?.identity || !participant.sid) return { kind: 'ignored', room };
      const { identity, sid } = participant;
      if (event.event === 'participant_joined') {
        const joined = fromMilliseconds(participant.joinedAtMs) ?? fromSeconds(participant.joinedAt) ?? at;
        return { kind: 'joined', room, identity, sid, at: joined };
      }
      return { kind: 'left', room, identity, sid, at };
    }
    case 'room_finished':
      return { kind: 'room_finished', room, at };
    case 'room_started':
    case 'track_published':
    case 'track_unpublished':
    case 'egress_started':
    case 'egress_updated':
    case 'egress_ended':
    case 'ingress_started':
    case 'ingress_ended':
    case '':
      return { kind: 'ignored', room };
  }
  // Event names LiveKit adds later change nothing either.
  return { kind: 'ignored', room };
}
