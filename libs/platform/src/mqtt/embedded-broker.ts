import { createServer, type Server } from 'node:net';
import Aedes, { type Client } from 'aedes';
import type { Logger } from 'pino';

/** Decides who may connect, publish and subscribe; the same rules the deployed broker asks the API. */
export interface BrokerAuthorizer {
  authenticate(username: string, password: string, clientId: string): Promise<boolean>;
  canPublish(username: string, topic: string): boolean;
  canSubscribe(username: string, topic: string): boolean;
}

export interface EmbeddedBrokerOptions {
  /** Largest MQTT packet accepted; a larger one closes the connection before it is buffered. */
  maxPacketBytes: number;
}

export interface EmbeddedBrokerAccess {
  authorizer: BrokerAuthorizer;
  /**
   * Stores an authorised publish before the publisher gets its PUBACK (aedes acknowledges on
   * receipt and keeps messages in memory: aedes `lib/handlers/publish.js`). Rejecting
   * disconnects the publisher, which resends: nothing it was told is safe is lost.
   */
  storeBeforeAck?: (topic: string, payload: Buffer) => Promise<void>;
}

/** The parser aedes gives each client (mqtt-packet, pinned with aedes): checked by the e2e suite. */
interface PacketParser {
  packet: { length: number };
  _parseLength(): boolean;
  _emitError(error: Error): void;
}

const usernames = new WeakMap<Client, string>();

/** aedes does not keep the CONNECT username on the client; the broker records it at auth time. */
function usernameOf(client: Client | null): string {
  return (client && usernames.get(client)) ?? '';
}

/**
 * In-process MQTT broker for development and the demo (aedes: MQTT 3.1.1 only, no shared
 * subscriptions). It listens first, so the process knows its address before its configuration
 * is fixed, and refuses every client ("server unavailable") until `serve` hands it the rules.
 */
export class EmbeddedBroker {
  private readonly aedes: Aedes;
  private server?: Server;
  private access?: EmbeddedBrokerAccess;

  constructor(
    private readonly logger: Logger,
    private readonly options: EmbeddedBrokerOptions,
  ) {
    this.aedes = new Aedes();
    this.aedes.authenticate = (client, username, password, done) => {
      const user = username ?? '';
      if (!this.access) {
        const unavailable = Object.assign(new Error('Server unavailable'), { returnCode: 3 });
        return done(unavailable, false);
      }
      this.access.authorizer
        .authenticate(user, password ? password.toString('utf8') : '', client.id)
        .then((ok) => {
          if (ok) {
            usernames.set(client, user);
            return done(null, true);
          }
          this.logger.warn(
            { clientId: client.id, username: user },
            'MQTT connection refused: bad credentials',
          );
          const error = Object.assign(new Error('Bad username or password'), { returnCode: 4 });
          done(error, false);
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'MQTT authentication failed');
          const failure = Object.assign(new Error('Server unavailable'), { returnCode: 3 });
          done(failure, false);
        });
    };
    this.aedes.authorizePublish = (client: Client | null, packet, done) => {
      const user = usernameOf(client);
      if (!client || !this.access?.authorizer.canPublish(user, packet.topic))
        return done(new Error(`Publishing to ${packet.topic} is not allowed`));
      const store = this.access.storeBeforeAck;
      if (!store) return done(null);
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      // aedes writes the PUBACK only after this callback: the message is committed by then.
      store(packet.topic, payload).then(
        () => done(null),
        (error: unknown) => {
          this.logger.warn(
            { err: error, clientId: client.id },
            'Publish not stored; disconnecting the publisher',
          );
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    this.aedes.authorizeSubscribe = (client: Client | null, subscription, done) => {
      if (client && this.access?.authorizer.canSubscribe(usernameOf(client), subscription.topic))
        return done(null, subscription);
      done(new Error(`Subscribing to ${subscription.topic} is not allowed`), null);
    };
  }

  /**
   * Closes the connection of the client with this id, if one is connected: what a deactivated
   * device or a rotated secret needs, since aedes checks credentials only on connect.
   */
  disconnect(clientId: string): void {
    // aedes 1.2 keeps connected clients by id in `clients`, untyped in its declarations.
    const clients = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients;
    const client = Object.prototype.hasOwnProperty.call(clients, clientId) ? clients[clientId] : undefined;
    if (!client) return;
    this.logger.info({ clientId }, 'Closing an MQTT connection whose credentials no longer hold');
    client.close();
  }

  /** Starts accepting clients under these rules. */
  serve(access: EmbeddedBrokerAccess): void {
    this.access = access;
  }

  /** Listens on `port` (0 picks a free one) and resolves with the port in use. */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((socket) => this.limitPacketSize(this.aedes.handle(socket)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /**
   * aedes has no packet size limit: a client could make it buffer any amount. The parser
   * learns each packet's length from its fixed header, before the body arrives; refuse there.
   */
  private limitPacketSize(client: Client): void {
    const parser = (client as unknown as { _parser?: PacketParser })._parser;
    if (!parser || typeof parser._parseLength !== 'function')
      throw new Error('aedes internals changed: the client has no packet parser');
    const parseLength = parser._parseLength.bind(parser);
    const max = this.options.maxPacketBytes;
    parser._parseLength = () => {
      const complete = parseLength();
      if (complete && parser.packet.length > max) {
        this.logger.warn(
          { bytes: parser.packet.length, max },
          'MQTT packet over the size limit; closing the connection',
        );
        parser._emitError(new Error(`packet of ${parser.packet.length} bytes exceeds the limit of ${max}`));
        return false;
      }
      return complete;
    };
  }

  /** Publishes QoS 1 from the broker itself (no client, no authorisation): the platform's receipts. */
  async publish(topic: string, payload: string): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.aedes.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
        (error?: Error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
