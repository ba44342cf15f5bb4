import { WebhookEvent } from 'livekit-server-sdk';
import { webhookChange } from './webhook-change';

// No LiveKit server can run here: the events are built with the SDK's own WebhookEvent class,
// as LiveKit sends them (https://docs.livekit.io/home/server/webhooks/).
const received = new Date('2026-01-01T10:05:00Z');
const created = String(Date.parse('2026-01-01T10:00:00Z') / 1000);

/** As `WebhookReceiver.receive` reads a body: JSON, int64 fields as strings. */
const event = (json: Record<string, unknown>) =>
  WebhookEvent.fromJson(json as never, { ignoreUnknownFields: true });

describe('a LiveKit webhook event as a visit change', () => {
  it("takes a join at the participant's own joinedAtMs, a leave and the room end at the event time", () => {
    const participant = {
      identity: 'p_abc',
      sid: 'PA_1',
      joinedAtMs: String(Date.parse('2026-01-01T09:59:58.500Z')),
    };
    expect(
      webhookChange(
        event({
          event: 'participant_joined',
          id: 'EV_1',
          createdAt: created,
          room: { name: 'r1' },
          participant,
        }),
        received,
      ),
    ).toEqual({
      kind: 'joined',
      room: 'r1',
      identity: 'p_abc',
      sid: 'PA_1',
      at: new Date('2026-01-01T09:59:58.500Z'),
    });
    expect(
      webhookChange(
        event({
          event: 'participant_left',
          id: 'EV_2',
          createdAt: created,
          room: { name: 'r1' },
          participant,
        }),
        received,
      ),
    ).toEqual({
      kind: 'left',
      room: 'r1',
      identity: 'p_abc',
      sid: 'PA_1',
      at: new Date('2026-01-01T10:00:00Z'),
    });
    expect(
      webhookChange(
        event({ event: 'room_finished', id: 'EV_3', createdAt: created, room: { name: 'r1' } }),
        received,
      ),
    ).toEqual({
      kind: 'room_finished',
      room: 'r1',
      at: new Date('2026-01-01T10:00:00Z'),
    });
  });

  it('counts an aborted connection as a leave, and falls back to the receipt time', () => {
    const change = webhookChange(
      event({
        event: 'participant_connection_aborted',
        id: 'EV_4',
        room: { name: 'r1' },
        participant: { identity: 'p', sid: 'PA_2' },
      }),
      received,
    );
    expect(change).toEqual({ kind: 'left', room: 'r1', identity: 'p', sid: 'PA_2', at: received });
  });

  it('ignores other events and events without a room or participant', () => {
    expect(
      webhookChange(event({ event: 'track_published', id: 'EV_5', room: { name: 'r1' } }), received),
    ).toEqual({ kind: 'ignored', room: 'r1' });
    expect(
      webhookChange(event({ event: 'room_started', id: 'EV_6', room: { name: 'r1' } }), received),
    ).toEqual({ kind: 'ignored', room: 'r1' });
    expect(
      webhookChange(event({ event: 'participant_joined', id: 'EV_7', room: { name: 'r1' } }), received),
    ).toEqual({ kind: 'ignored', room: 'r1' });
    expect(webhookChange(event({ event: 'room_finished', id: 'EV_8' }), received)).toEqual({
      kind: 'ignored',
      room: null,
    });
  });
});
