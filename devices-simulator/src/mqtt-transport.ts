import { Socket } from 'node:net';
import { connect } from 'mqtt';
import { deviceClientId } from '@homeward/contracts';

/** What a simulated device needs from an MQTT connection; tests substitute a fake. */
export interface DeviceTransport {
  readonly connected: boolean;
  /** Publishes QoS 1; `onDone` runs on PUBACK (no error) or when the client gives the message up. */
  publish(topic: string, payload: string, onDone: (error?: Error) => void): void;
  /** Disconnects; `force` drops in-flight messages instead of waiting for their PUBACK. */
  end(force: boolean): Promise<void>;
  /** Subscribes QoS 1 to `topic` (again after every reconnect); `onMessage` gets each payload. */
  subscribe?(topic: string, onMessage: (payload: string) => void): void;
}

export interface TransportEvents {
  connect(): void;
  close(): void;
  error(error: Error): void;
}

export interface TransportTarget {
  id: string;
  secret: string;
  mqttUrl: string;
}

export type TransportFactory = (target: TransportTarget, events: TransportEvents) => DeviceTransport;

/** Device contract v1 connection: username = device id, password = secret, MQTT 3.1.1. */
export const mqttTransport: TransportFactory = (target, events) => {
  const client = connect(target.mqttUrl, {
    clientId: deviceClientId(target.id),
    username: target.id,
    password: target.secret,
    // The embedded broker (aedes) speaks MQTT 3.1.1 only and refuses an MQTT 5 CONNECT.
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    connectTimeout: 10_000,
    reconnectPeriod: 1000,
    // A real device keeps retrying when refused (e.g. while the platform's auth is restarting).
    reconnectOnConnackError: true,
    // mqtt.js logs every packet through `debug`, whose disabled calls still allocate their
    // arguments: a load of thousands of devices pays for it. DEBUG=mqttjs* still shows them.
    ...(process.env.DEBUG ? {} : { log: () => undefined }),
  });
  client.on('connect', () => {
    // Nagle's algorithm holds small publishes back by up to tens of ms (measured). A new stream
    // is created on every reconnect, so this runs each time.
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
    events.connect();
  });
  client.on('close', () => events.close());
  client.on('error', (error) => events.error(error));
  return {
    get connected() {
      return client.connected;
    },
    publish(topic, payload, onDone) {
      client.publish(topic, payload, { qos: 1 }, (error) => onDone(error));
    },
    end: (force) => client.endAsync(force),
    subscribe(topic, onMessage) {
      // mqtt.js subscribes again after each reconnect (`resubscribe`, on by default).
      client.subscribe(topic, { qos: 1 }, (error) => {
        if (error) events.error(error);
      });
      client.on('message', (received, payload) => {
        if (received === topic) onMessage(payload.toString('utf8'));
      });
    },
  };
};
