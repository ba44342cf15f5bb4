import { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';

/**
 * Turns Nagle's algorithm off on the client's socket, on every (re)connect. Held PUBACKs go out
 * in bursts after a commit and commands and receipts are single small packets: with Nagle on,
 * each waits for the peer's delayed ACK of the packet before it (measured: QoS 0 p99 at 1,000
 * msg/s went from 2.3 ms to 35 ms with Nagle on).
 */
export function sendWithoutDelay(client: MqttClient): void {
  const apply = () => {
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
  };
  client.on('connect', apply);
  if (client.connected) apply();
}
