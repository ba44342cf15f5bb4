import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import {
  ALERTS_NAMESPACE,
  organizationRoom,
  type AlertDto,
  type ServerToClientEvents,
} from '@homeward/contracts';

/** Channel key shared by the API's socket.io Redis adapter and every emitter. */
export function socketIoKey(prefix: string): string {
  return `${prefix}-socket.io`;
}

/** Publishes alert events to the coordinators' sockets on whichever API instance holds them. */
export class AlertPublisher {
  private readonly emitter: Emitter<ServerToClientEvents>;

  constructor(redis: Redis, prefix: string) {
    this.emitter = new Emitter<ServerToClientEvents>(redis, { key: socketIoKey(prefix) });
  }

  alertCreated(alert: AlertDto): void {
    this.emitter.of(ALERTS_NAMESPACE).to(organizationRoom(alert.organizationId)).emit('alert.created', alert);
  }
}
