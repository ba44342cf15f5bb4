import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { assertIngestNotStuck, type ReadinessChecks as Checks } from '@homeward/observability';
import { Database } from '../db/database';
import { REDIS } from '../jobs/redis.module';
import { MqttMonitor } from './mqtt-monitor';

/** What the API needs to serve: each check throws, with the reason, when its dependency does not answer. */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly mqtt: MqttMonitor,
    private readonly config: AppConfig,
  ) {}

  get checks(): Checks {
    return {
      database: async () => void (await this.db.query('SELECT 1')),
      redis: async () => void (await this.redis.ping()),
      mqtt: () => {
        if (!this.mqtt.configured) throw new Error('MQTT_URL is not set');
        if (!this.mqtt.connected) throw new Error('not connected to the broker');
      },
      // The all-in-one process ingests inside its embedded broker: a stuck ingest is its problem too.
      ...(this.config.role === 'all'
        ? { ingest: () => assertIngestNotStuck(this.config.INGEST_STUCK_AFTER_MS) }
        : {}),
    };
  }
}
