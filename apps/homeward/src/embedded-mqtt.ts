import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@homeward/config';
import { DEVICE_CONTRACT } from '@homeward/contracts';
import type { DeviceService } from '@homeward/core';
import type { EmbeddedBrokerIngest } from '@homeward/ingest-consumer';
import { EmbeddedBroker } from '@homeward/messaging';
import type { Logger } from '@homeward/observability';

/**
 * Starts the in-process broker when no MQTT_URL is configured, on MQTT_BIND_HOST:MQTT_PORT
 * or, when another broker already holds that port, on a free one. Device messages are stored
 * inside the broker before their PUBACK, so no MQTT ingest consumer runs in this process.
 * Must run before the app initialises (the consumer checks `ingestInEmbeddedBroker`).
 */
export async function startEmbeddedBroker(
  config: AppConfig,
  devices: DeviceService,
  ingest: EmbeddedBrokerIngest,
  logger: Logger,
): Promise<EmbeddedBroker> {
  config.MQTT_USERNAME ??= 'homeward-service';
  config.MQTT_PASSWORD ??= randomBytes(24).toString('base64url');
  config.ingestInEmbeddedBroker = true;
  const broker = new EmbeddedBroker(
    {
      authenticate: (username, password, clientId) => devices.authenticateMqtt(username, password, clientId),
      canPublish: (username, topic) => devices.canPublish(username, topic),
      canSubscribe: (username, topic) => devices.canSubscribe(username, topic),
    },
    logger.child({ component: 'embedded-mqtt' }),
    {
      storeBeforeAck: (topic, payload) => ingest.storeBeforeAck(topic, payload),
      maxPacketBytes: DEVICE_CONTRACT.maxPacketBytes,
    },
  );
  const host = config.MQTT_BIND_HOST;
  let port: number;
  try {
    port = await broker.listen(config.MQTT_PORT, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    port = await broker.listen(0, host);
    logger.warn(
      { wanted: config.MQTT_PORT, port },
      `MQTT port ${config.MQTT_PORT} is taken; the embedded broker listens on ${port}`,
    );
  }
  // Devices on this machine reach a loopback or wildcard bind as localhost; a specific
  // address only where it is bound.
  const wildcard = host === '0.0.0.0' || host === '::';
  const local = wildcard || host === '127.0.0.1' || host === '::1' || host === 'localhost';
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  config.MQTT_URL = `mqtt://${wildcard ? '127.0.0.1' : hostInUrl}:${port}`;
  config.MQTT_PUBLIC_URL ??= `mqtt://${local ? 'localhost' : hostInUrl}:${port}`;
  devices.setPublicMqttUrl(config.MQTT_PUBLIC_URL);
  return broker;
}
