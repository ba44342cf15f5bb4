import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@homeward/config';
import { DEVICE_CONTRACT } from '@homeward/contracts';
import type { EmbeddedBrokerIngest } from '@homeward/monitoring';
import type { Logger } from '@homeward/observability';
import type { DeviceService } from '@homeward/patients';
import { EmbeddedBroker } from '@homeward/platform';

export interface ListeningBroker {
  broker: EmbeddedBroker;
  /** What the process's configuration takes from the broker: its URLs and service account. */
  env: Record<string, string>;
}

/**
 * Starts the in-process broker (no MQTT_URL configured) on MQTT_BIND_HOST:MQTT_PORT or, when
 * another broker holds that port, on a free one. It refuses clients until `serveDevices`: the
 * process first folds the broker's address into its configuration, which is then fixed.
 */
export async function listenEmbeddedBroker(config: AppConfig, logger: Logger): Promise<ListeningBroker> {
  const broker = new EmbeddedBroker(logger.child({ component: 'embedded-mqtt' }), {
    maxPacketBytes: DEVICE_CONTRACT.maxPacketBytes,
  });
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
  return {
    broker,
    env: {
      MQTT_URL: `mqtt://${wildcard ? '127.0.0.1' : hostInUrl}:${port}`,
      MQTT_PUBLIC_URL: config.MQTT_PUBLIC_URL ?? `mqtt://${local ? 'localhost' : hostInUrl}:${port}`,
      MQTT_USERNAME: config.MQTT_USERNAME ?? 'homeward-service',
      MQTT_PASSWORD: config.MQTT_PASSWORD ?? randomBytes(24).toString('base64url'),
    },
  };
}

/**
 * Hands the broker the platform's device rules, stores each device message before its PUBACK,
 * and publishes the receipts through the broker once they are committed. Deactivating a device
 * or rotating its secret closes its connection here at once.
 */
export function serveDevices(
  broker: EmbeddedBroker,
  devices: DeviceService,
  ingest: EmbeddedBrokerIngest,
): void {
  broker.serve({
    authorizer: {
      authenticate: (username, password, clientId) => devices.authenticateMqtt(username, password, clientId),
      canPublish: (username, topic) => devices.canPublish(username, topic),
      canSubscribe: (username, topic) => devices.canSubscribe(username, topic),
    },
    storeBeforeAck: (topic, payload) => ingest.storeBeforeAck(topic, payload),
  });
  devices.attachBrokerConnections({ disconnect: (clientId) => broker.disconnect(clientId) });
  ingest.sendReceiptsWith((topic, payload) => broker.publish(topic, payload));
}
