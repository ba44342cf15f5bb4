import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, repoRoot, waitFor } from './ports';

/** A real OpenID Connect provider (test/oidc/provider.mjs) in a child process. */
export class TestOidcProvider {
  log = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** Starts the provider on a free port with one client registered for `redirectUri`. */
  static async start(redirectUri: string): Promise<TestOidcProvider> {
    const port = await freePort();
    const clientId = `homeward-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(24).toString('base64url');
    const child = spawn(process.execPath, [join(repoRoot(), 'test', 'oidc', 'provider.mjs')], {
      env: {
        PATH: process.env.PATH ?? '',
        OIDC_PORT: String(port),
        OIDC_CLIENT_ID: clientId,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_REDIRECT_URI: redirectUri,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const provider = new TestOidcProvider(child, `http://127.0.0.1:${port}`, clientId, clientSecret);
    const append = (chunk: Buffer) => (provider.log += chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`oidc-provider exited:\n${provider.log}`);
        return provider.log.includes('oidc-provider ready');
      },
      { what: 'oidc-provider to start', timeoutMs: 20_000 },
    );
    return provider;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}
