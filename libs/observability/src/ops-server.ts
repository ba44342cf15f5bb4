import { createServer, type Server } from 'node:http';
import { metricsRegistry } from './metrics';
import { withTimeout } from './timeout';

export type ReadinessChecks = Record<string, () => Promise<void> | void>;

/**
 * Liveness, readiness and Prometheus metrics for processes without an HTTP API (ingest,
 * worker): GET /health/live, /health/ready (every check must pass), /metrics.
 */
export class OpsServer {
  private server?: Server;

  constructor(
    private readonly checks: ReadinessChecks,
    /** How long one check may take before its dependency counts as down. */
    private readonly timeoutMs = 2000,
  ) {}

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((req, res) => {
      const reply = (status: number, body: string, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (req.method !== 'GET') return reply(405, '{"error":"method not allowed"}');
      switch (req.url ?? '') {
        case '/health/live':
          return reply(200, '{"status":"ok"}');
        case '/health/ready':
          void this.ready().then(({ ok, details }) =>
            reply(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ok' : 'error', details })),
          );
          return;
        case '/metrics':
          void metricsRegistry.metrics().then((text) => reply(200, text, metricsRegistry.contentType));
          return;
        default:
          return reply(404, '{"error":"not found"}');
      }
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async ready(): Promise<{
    ok: boolean;
    details: Record<string, { status: 'up' | 'down'; message?: string }>;
  }> {
    const details: Record<string, { status: 'up' | 'down'; message?: string }> = {};
    await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), this.timeoutMs);
          details[name] = { status: 'up' };
        } catch (error) {
          details[name] = { status: 'down', message: (error as Error).message };
        }
      }),
    );
    return { ok: Object.values(details).every((detail) => detail.status === 'up'), details };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
