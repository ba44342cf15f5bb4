import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@homeward/config';
import type { DeviceService } from '@homeward/core';
import { EmbeddedBroker } from '@homeward/messaging';
import type { Logger } from '@homeward/observability';

/**
 * Starts the in-process broker when no MQTT_URL is configured, on MQTT_PORT or, when another
 * broker already holds that port, on a free one. Points the process's own clients at it.
 */
export async function startEmbeddedBroker(
  config: AppConfig,
  devices: DeviceService,
  logger: Logger,
): Promise<EmbeddedBroker> {
  config.MQTT_USERNAME ??= 'homeward-service';
  config.MQTT_PASSWORD ??= randomBytes(24).toString('base64url');
  // aedes has no shared subscriptions: the single consumer subscribes to the plain filter.
  config.MQTT_SHARE_GROUP = '';
  const broker = new EmbeddedBroker(
    {
      authenticate: (username, password, clientId) => devices.authenticateMqtt(username, password, clientId),
      canPublish: (username, topic) => devices.canPublish(username, topic),
      canSubscribe: (username, topic) => devices.canSubscribe(username, topic),
    },
    logger.child({ component: 'embedded-mqtt' }),
  );
  let port: number;
  try {
    port = await broker.listen(config.MQTT_PORT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    port = await broker.listen(0);
    logger.warn(
      { wanted: config.MQTT_PORT, port },
      `MQTT port ${config.MQTT_PORT} is taken; the embedded broker listens on ${port}`,
    );
  }
  config.MQTT_URL = `mqtt://127.0.0.1:${port}`;
  devices.setPublicMqttUrl(config.MQTT_PUBLIC_URL ?? `mqtt://localhost:${port}`);
  return broker;
}
