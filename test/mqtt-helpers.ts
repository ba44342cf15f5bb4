import { connect, type MqttClient } from 'mqtt';
import { readingsTopic } from '@homeward/contracts';

/** A device as the contract describes it: its id as username, its secret as password. */
export async function connectDevice(
  url: string,
  device: { id: string; secret: string },
): Promise<MqttClient> {
  const client = connect(url, {
    clientId: `device-${device.id}`,
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export async function publishRaw(
  client: MqttClient,
  deviceId: string,
  payload: string | Buffer,
  topic = readingsTopic(deviceId),
): Promise<void> {
  await client.publishAsync(topic, payload, { qos: 1 });
}

export function bpMessage(
  messageId: string,
  systolic: number,
  diastolic: number,
  measuredAt = new Date(),
): string {
  return JSON.stringify({
    messageId,
    measuredAt: measuredAt.toISOString(),
    readings: [
      { type: 'blood_pressure_systolic', value: systolic, unit: 'mm[Hg]' },
      { type: 'blood_pressure_diastolic', value: diastolic, unit: 'mm[Hg]' },
      { type: 'heart_rate', value: 71, unit: '/min' },
    ],
  });
}
