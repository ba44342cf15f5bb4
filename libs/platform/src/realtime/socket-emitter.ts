import { Inject, Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import type { ServerToClientEvents } from '@homeward/contracts';
import { REDIS } from '../jobs/redis.module';

/** Channel key shared by the API's socket.io Redis adapter and every emitter. */
export function socketIoKey(prefix: string): string {
  return `${prefix}-socket.io`;
}

type EventArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/**
 * Emits typed socket events from any process (a worker holds no sockets) to whichever API
 * instance holds the receiving sockets. Which rooms an event goes to is the access policy's call.
 */
@Injectable()
export class SocketEmitter {
  private readonly emitter: Emitter<ServerToClientEvents>;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    this.emitter = new Emitter<ServerToClientEvents>(redis, { key: socketIoKey(config.REDIS_PREFIX) });
  }

  emit<E extends keyof ServerToClientEvents>(
    namespace: string,
    rooms: readonly string[],
    event: E,
    ...args: EventArgs<E>
  ): void {
    if (rooms.length === 0) return;
    this.emitter
      .of(namespace)
      .to([...rooms])
      .emit(event, ...args);
  }

  /** Makes the sockets in `rooms` join `joined` too, on whichever API instance holds them. */
  join(namespace: string, rooms: readonly string[], joined: readonly string[]): void {
    if (rooms.length === 0 || joined.length === 0) return;
    this.emitter
      .of(namespace)
      .in([...rooms])
      .socketsJoin([...joined]);
  }

  /** Closes the sockets in `rooms`, on whichever API instance holds them. */
  disconnect(namespace: string, rooms: readonly string[]): void {
    if (rooms.length === 0) return;
    this.emitter
      .of(namespace)
      .in([...rooms])
      .disconnectSockets(true);
  }
}
