import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';

/** Topic of Mosquitto's dynamic-security control API (plugin `mosquitto_dynamic_security.so`). */
export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;

export type DynsecAclType =
  | 'publishClientSend'
  | 'publishClientReceive'
  | 'subscribeLiteral'
  | 'subscribePattern'
  | 'unsubscribeLiteral'
  | 'unsubscribePattern';

export interface DynsecAcl {
  acltype: DynsecAclType;
  topic: string;
  allow: boolean;
  priority?: number;
}

export interface DynsecRoleRef {
  rolename: string;
  priority?: number;
}

/** The commands of the plugin's v1 API that Homeward sends (as supported by Mosquitto 2.0). */
export type DynsecCommand =
  | {
      command: 'createClient';
      username: string;
      /** Hashed by the plugin; a client without one cannot connect. */
      password?: string;
      /** When set, the client may connect only with this MQTT client id. */
      clientid?: string;
      textname?: string;
      roles?: DynsecRoleRef[];
    }
  | { command: 'deleteClient'; username: string }
  | { command: 'getClient'; username: string }
  | { command: 'enableClient'; username: string }
  /** Also disconnects every connected client with that username. */
  | { command: 'disableClient'; username: string }
  /** Also disconnects every connected client with that username (checked with Mosquitto 2.0.11). */
  | { command: 'setClientPassword'; username: string; password: string }
  | { command: 'createRole'; rolename: string; textname?: string; acls?: DynsecAcl[] }
  | { command: 'deleteRole'; rolename: string }
  | { command: 'getRole'; rolename: string }
  /**
   * Answered "ACL with this topic already exists" when the role has an ACL of that type and
   * topic; also disconnects every client holding the role (checked with Mosquitto 2.0.11).
   */
  | {
      command: 'addRoleACL';
      rolename: string;
      acltype: DynsecAclType;
      topic: string;
      allow: boolean;
      priority?: number;
    }
  | { command: 'addClientRole'; username: string; rolename: string; priority?: number }
  /** Answers "ACL with this topic already exists" when the role has that ACL type and topic. */
  | ({ command: 'addRoleACL'; rolename: string } & DynsecAcl)
  | { command: 'removeRoleACL'; rolename: string; acltype: DynsecAclType; topic: string }
  | { command: 'getDefaultACLAccess' };

/** One command's answer, in the order the commands were sent. */
export interface DynsecResult {
  command: string;
  /** The plugin's reason, e.g. "Client already exists", "Role not found". */
  error?: string;
  data?: unknown;
}

/** A dynamic-security command that failed, was refused, or got no answer. */
export class DynamicSecurityError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`Mosquitto dynamic security: ${command} failed: ${reason}`);
    this.name = 'DynamicSecurityError';
  }
}

export interface DynamicSecurityClientOptions {
  url: string;
  /** An account with the plugin's admin rights (publish to, and subscribe to responses of, the control topic). */
  username: string;
  password: string;
  /** Prefix of this connection's client id; a random suffix keeps instances apart. */
  clientIdPrefix?: string;
  /** How long a command may wait for its answer, and the first connection for the broker. */
  timeoutMs?: number;
  /** Told about connection errors after the first connect (mqtt.js reconnects by itself). */
  logger?: Logger;
}

interface Pending {
  resolve(result: DynsecResult): void;
}

/**
 * Typed client for Mosquitto's dynamic-security control API over one MQTT connection.
 *
 * The plugin answers each request with one message on the response topic, delivered to every
 * admin subscribed to it (other API replicas too), and echoes each command's
 * `correlationData`: answers are matched to commands by a per-instance correlation id and the
 * rest ignored.
 */
export class DynamicSecurityClient {
  private readonly pending = new Map<string, Pending>();
  private readonly instanceId = randomBytes(6).toString('hex');
  private sequence = 0;

  private constructor(
    private readonly client: MqttClient,
    private readonly timeoutMs: number,
  ) {
    client.on('message', (topic, payload) => {
      if (topic === RESPONSE_TOPIC) this.onResponse(payload);
    });
  }

  /** Connects and subscribes to the plugin's answers; fails when the account may not administer it. */
  static async connect(options: DynamicSecurityClientOptions): Promise<DynamicSecurityClient> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const client = connect(options.url, {
      clientId: `${options.clientIdPrefix ?? 'homeward-dynsec'}-${randomBytes(6).toString('hex')}`,
      username: options.username,
      password: options.password,
      // v5: a publish the broker refuses comes back as an error instead of a silent PUBACK.
      protocolVersion: 5,
      clean: true,
      connectTimeout: timeoutMs,
      reconnectPeriod: 2000,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        client.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
        client.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } catch (error) {
      await client.endAsync(true);
      throw new DynamicSecurityError(
        'connect',
        `cannot connect to ${options.url} as ${options.username}: ${(error as Error).message}`,
      );
    }
    client.on('error', (error) =>
      options.logger?.warn({ err: error }, 'Dynamic-security control connection error'),
    );
    try {
      const [granted] = await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
      if (granted.qos > 2) throw new Error(`SUBACK ${granted.qos}`);
    } catch (error) {
      await client.endAsync(true);
      throw new DynamicSecurityError(
        'subscribe',
        `${options.username} may not use the control API (${(error as Error).message}); give it the dynamic-security admin role`,
      );
    }
    return new DynamicSecurityClient(client, timeoutMs);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /**
   * Sends the commands in one request and resolves with one result per command, in order.
   * The plugin runs them one after another and does not stop at a failed one: a command's
   * error is in its result. Rejects only when the request cannot be sent or is not answered.
   */
  async execute(commands: DynsecCommand[]): Promise<DynsecResult[]> {
    const names = commands.map((command) => command.command).join(', ');
    if (!this.client.connected) throw new DynamicSecurityError(names, 'not connected to the broker');
    const ids = commands.map(() => `${this.instanceId}-${++this.sequence}`);
    const answers = ids.map(
      (id) => new Promise<DynsecResult>((resolve) => this.pending.set(id, { resolve })),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DynamicSecurityError(names, `no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const payload = JSON.stringify({
        commands: commands.map((command, index) => ({ ...command, correlationData: ids[index] })),
      });
      await Promise.race([this.client.publishAsync(DYNSEC_TOPIC, payload, { qos: 1 }), timeout]);
      return await Promise.race([Promise.all(answers), timeout]);
    } catch (error) {
      if (error instanceof DynamicSecurityError) throw error;
      throw new DynamicSecurityError(names, (error as Error).message);
    } finally {
      clearTimeout(timer);
      for (const id of ids) this.pending.delete(id);
    }
  }

  /** Runs one command and returns its data; throws when the plugin reports an error. */
  async run(command: DynsecCommand): Promise<unknown> {
    const [result] = await this.execute([command]);
    if (result.error !== undefined) throw new DynamicSecurityError(command.command, result.error);
    return result.data;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private onResponse(payload: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      return; // not an answer this client can match to a request
    }
    const responses = (parsed as { responses?: unknown }).responses;
    if (!Array.isArray(responses)) return;
    for (const response of responses as Array<Record<string, unknown>>) {
      const id = response.correlationData;
      const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
      if (!pending) continue;
      pending.resolve({
        command: String(response.command),
        error: typeof response.error === 'string' ? response.error : undefined,
        data: response.data,
      });
    }
  }
}
