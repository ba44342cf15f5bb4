import { randomBytes } from 'node:crypto';
import { Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { sendWithoutDelay } from './no-delay';
import { packetLogUnlessDebugging } from './packet-log';

/** Longest a publish waits for the broker's PUBACK before the caller counts it as not sent. */
const PUBLISH_TIMEOUT_MS = 5000;

/**
 * Publishes QoS 1 messages to devices as the platform's service account (MQTT_URL,
 * MQTT_USERNAME, MQTT_PASSWORD): the worker's only MQTT connection. In the all-in-one process
 * MQTT_URL is its embedded broker, so the same client serves both. Without MQTT_URL nothing is
 * sent and `publish` answers false: callers keep what they meant to send in PostgreSQL.
 * MQTT 3.1.1, which the embedded broker and Mosquitto both speak.
 */
@Injectable()
export class MqttPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: MqttClient;

  constructor(
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.MQTT_URL);
  }

  /** Connects in the background: a broker that is down must not stop the worker from starting. */
  onApplicationBootstrap(): void {
    if (!this.config.MQTT_URL) {
      this.logger.warn('MQTT_URL is not set: commands to devices are kept in the database, not sent');
      return;
    }
    // A random id outside the devices' `device-` space: several workers never take over each
    // other's connection (MQTT 3.1.1 §3.1.4: a second connection with the same client id takes over), and a
    // publisher needs no persistent session.
    const clientId = `homeward-publisher-${randomBytes(6).toString('hex')}`;
    const client = connect(this.config.MQTT_URL, {
      clientId,
      username: this.config.MQTT_USERNAME,
      password: this.config.MQTT_PASSWORD,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      ...packetLogUnlessDebugging(),
    });
    sendWithoutDelay(client);
    client.on('error', (error) => this.logger.warn({ err: error, clientId }, 'MQTT publisher error'));
    client.on('connect', () => this.logger.info({ clientId }, 'MQTT publisher connected'));
    this.client = client;
  }

  /** True once the broker acknowledged the message; false when it could not be sent now. */
  async publish(topic: string, payload: string): Promise<boolean> {
    const client = this.client;
    if (!client?.connected) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PUBLISH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([client.publishAsync(topic, payload, { qos: 1 }).then(() => true), timeout]);
    } catch (error) {
      this.logger.warn({ err: error, topic }, 'MQTT publish failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync(true);
  }
}

/** The service account's publishing connection, for processes that send devices commands. */
@Module({ providers: [MqttPublisher], exports: [MqttPublisher] })
export class MqttPublisherModule {}
