import { Redis, type RedisOptions } from 'ioredis';

/** A Redis connection as BullMQ requires it (no per-command retry limit, no ready check delay). */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
