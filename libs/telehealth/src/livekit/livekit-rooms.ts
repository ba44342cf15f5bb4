import { Injectable } from '@nestjs/common';
import { AccessToken, RoomServiceClient, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { AppConfig, liveKitSettings } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { VideoNotConfiguredError, VideoUnavailableError } from '../visits/visit.errors';

/** A join token and when it stops letting anyone connect. */
export interface JoinToken {
  url: string;
  token: string;
  expiresAt: Date;
}

/** LiveKit answers 404 (Twirp `not_found`) for a room or participant already gone. */
function isNotFound(error: unknown): boolean {
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 404 || code === 'not_found';
}

/**
 * Homeward's side of LiveKit (https://docs.livekit.io/home/server/managing-rooms/): rooms through
 * the RoomService, join tokens and webhook verification with the API key and secret. Each call
 * fails with `video_not_configured` when the LIVEKIT_* variables are unset, and with
 * `video_unavailable` when LiveKit does not answer.
 */
@Injectable()
export class LiveKitRooms {
  private readonly settings: ReturnType<typeof liveKitSettings>;
  private readonly rooms?: RoomServiceClient;
  private readonly receiver?: WebhookReceiver;

  constructor(
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.settings = liveKitSettings(config);
    if (this.settings) {
      const { apiUrl, apiKey, apiSecret } = this.settings;
      this.rooms = new RoomServiceClient(apiUrl, apiKey, apiSecret, { requestTimeout: 10, failover: false });
      this.receiver = new WebhookReceiver(apiKey, apiSecret);
    }
  }

  get configured(): boolean {
    return this.settings !== undefined;
  }

  /** Throws `video_not_configured` unless LiveKit is configured. */
  ensureConfigured(): void {
    if (!this.settings) throw new VideoNotConfiguredError();
  }

  /**
   * Creates the visit's room: LiveKit closes it `emptyTimeout` seconds after creation if nobody
   * comes, `departureTimeout` seconds after the last person left, and admits at most
   * `maxParticipants` (https://docs.livekit.io/home/server/managing-rooms/#create-a-room).
   */
  async createRoom(
    name: string,
    options: { emptyTimeout: number; departureTimeout: number; maxParticipants: number },
  ): Promise<void> {
    const rooms = this.client();
    try {
      await rooms.createRoom({ name, ...options });
    } catch (error) {
      this.logger.warn({ err: error, room: name }, 'LiveKit refused or did not answer CreateRoom');
      throw new VideoUnavailableError();
    }
  }

  /** Removes everyone still connected, then deletes the room; a room already gone is fine. */
  async closeRoom(name: string): Promise<void> {
    const rooms = this.client();
    try {
      const present = await rooms.listParticipants(name).catch((error: unknown) => {
        if (isNotFound(error)) return [];
        throw error;
      });
      for (const participant of present)
        await rooms.removeParticipant(name, participant.identity).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      await rooms.deleteRoom(name).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    } catch (error) {
      this.logger.warn({ err: error, room: name }, 'LiveKit refused or did not answer while closing a room');
      throw new VideoUnavailableError();
    }
  }

  /**
   * A token for one room only: join, publish and subscribe, nothing else (no room admin,
   * recording, listing or data channel), living `VISIT_TOKEN_TTL_SECONDS`. LiveKit checks the
   * lifetime only when connecting (https://docs.livekit.io/home/get-started/authentication/).
   */
  async joinToken(room: string, participant: { identity: string; name: string }): Promise<JoinToken> {
    if (!this.settings) throw new VideoNotConfiguredError();
    const ttl = this.config.VISIT_TOKEN_TTL_SECONDS;
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, {
      identity: participant.identity,
      name: participant.name,
      ttl,
    });
    token.addGrant({
      room,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      roomRecord: false,
    });
    const expiresAt = new Date(Date.now() + ttl * 1000);
    return { url: this.settings.url, token: await token.toJwt(), expiresAt };
  }

  /** The event if its `Authorization` JWT is signed with our secret and carries the body's sha256; else undefined. */
  async verifyWebhook(body: string, authorization: string | undefined): Promise<WebhookEvent | undefined> {
    if (!this.receiver) throw new VideoNotConfiguredError();
    if (!authorization) return undefined;
    try {
      return await this.receiver.receive(body, authorization);
    } catch {
      return undefined;
    }
  }

  private client(): RoomServiceClient {
    if (!this.rooms) throw new VideoNotConfiguredError();
    return this.rooms;
  }
}
