import { createServer, type Server } from 'node:net';
import Aedes, { type Client } from 'aedes';
import type { Logger } from 'pino';

/** Decides who may connect, publish and subscribe; the same rules the deployed broker asks the API. */
export interface BrokerAuthorizer {
  authenticate(username: string, password: string, clientId: string): Promise<boolean>;
  canPublish(username: string, topic: string): boolean;
  canSubscribe(username: string, topic: string): boolean;
}

const usernames = new WeakMap<Client, string>();

/** aedes does not keep the CONNECT username on the client; the broker records it at auth time. */
function usernameOf(client: Client | null): string {
  return (client && usernames.get(client)) ?? '';
}

/**
 * In-process MQTT broker for development and the demo (aedes: MQTT 3.1.1 only, no shared
 * subscriptions). Enforces device credentials through `authorizer`.
 */
export class EmbeddedBroker {
  private readonly aedes: Aedes;
  private server?: Server;

  constructor(
    private readonly authorizer: BrokerAuthorizer,
    private readonly logger: Logger,
  ) {
    this.aedes = new Aedes();
    this.aedes.authenticate = (client, username, password, done) => {
      const user = username ?? '';
      this.authorizer
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
      if (client && this.authorizer.canPublish(user, packet.topic)) return done(null);
      done(new Error(`Publishing to ${packet.topic} is not allowed`));
    };
    this.aedes.authorizeSubscribe = (client: Client | null, subscription, done) => {
      if (client && this.authorizer.canSubscribe(usernameOf(client), subscription.topic))
        return done(null, subscription);
      done(new Error(`Subscribing to ${subscription.topic} is not allowed`), null);
    };
  }

  /** Listens on `port` (0 picks a free one) and resolves with the port in use. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = createServer(this.aedes.handle);
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

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
