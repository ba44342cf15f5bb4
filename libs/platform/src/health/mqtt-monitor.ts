import { randomBytes } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';

/** Keeps a light connection to the broker so readiness reflects whether MQTT is reachable. */
@Injectable()
export class MqttMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: MqttClient;

  constructor(
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.MQTT_URL);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  onApplicationBootstrap(): void {
    if (!this.config.MQTT_URL) return;
    this.client = connect(this.config.MQTT_URL, {
      clientId: `api-monitor-${randomBytes(6).toString('hex')}`,
      username: this.config.MQTT_USERNAME,
      password: this.config.MQTT_PASSWORD,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 2000,
    });
    this.client.on('error', (error) => this.logger.warn({ err: error }, 'MQTT monitor connection error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
