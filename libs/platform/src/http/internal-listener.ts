import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';

/**
 * A second listener on BROKER_AUTH_PORT (loopback unless BROKER_AUTH_HOST says otherwise) over
 * the same application, for routes marked @InternalOnly: the broker's authentication callbacks.
 * It remembers the requests it accepted, so a guard can answer 404 for those routes on the
 * public port and for every other route here.
 */
@Injectable()
export class InternalListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;
  private readonly accepted = new WeakSet<IncomingMessage>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Whether `request` arrived through this listener rather than the public port. */
  received(request: object): boolean {
    return this.accepted.has(request as IncomingMessage);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.BROKER_AUTH_PORT;
    if (port === undefined) return;
    const host = this.config.BROKER_AUTH_HOST;
    const application = this.adapterHost.httpAdapter.getInstance<RequestListener>();
    const server = createServer((request, response) => {
      this.accepted.add(request);
      application(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.logger.info(
      { host, port: typeof address === 'object' && address ? address.port : port },
      'Broker authentication callbacks listening',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
