import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Client } from 'pg';

/** The demo's database, chosen before the configuration is read. */
export interface DemoDatabase {
  /** What the configuration takes from the choice (DATABASE_URL, and the pool size). */
  env: Record<string, string>;
  /** For the start-up banner: which PostgreSQL, and where its data lives. */
  summary: string;
  /** Stopped on shutdown; absent when a PostgreSQL server serves the demo. */
  embedded?: EmbeddedPostgres;
}

const DEMO_DATABASE = 'homeward';

// Errors that mean nothing listens there, as opposed to a server that answered with a refusal.
const NO_SERVER = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
]);

function nothingListens(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return NO_SERVER.has(code);
  // pg's own connectionTimeoutMillis error carries no code.
  return (error as Error).message.includes('connection timeout');
}

/**
 * `DATABASE_URL` set: that, always. Otherwise the PostgreSQL at PGHOST:PGPORT (127.0.0.1:5432)
 * with a `homeward` database created if missing; and when nothing listens there, an embedded
 * PostgreSQL whose data stays in `stateDir/pgdata`. A server that answers but refuses the demo
 * (a password, a missing role) is an error, not a reason to fall back.
 */
export async function chooseDemoDatabase(
  env: NodeJS.ProcessEnv,
  stateDir: string,
  note: (line: string) => void,
): Promise<DemoDatabase> {
  if (env.DATABASE_URL) return { env: {}, summary: 'PostgreSQL at DATABASE_URL' };
  const host = env.PGHOST || '127.0.0.1';
  const port = Number(env.PGPORT || 5432);
  const user = env.PGUSER || 'postgres';
  const address = `${host}:${port}`;
  const admin = new Client({ host, port, user, database: 'postgres', connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (error) {
    if (!nothingListens(error)) {
      throw new Error(
        `PostgreSQL at ${address} refused the demo (${(error as Error).message}): ` +
          'set DATABASE_URL (or PGUSER/PGPASSWORD) for it, or PGPORT to a port where nothing listens for an embedded PostgreSQL',
      );
    }
    const dataDir = resolve(stateDir, 'pgdata');
    // The first start initialises the data directory, which takes a few seconds.
    note(
      `No PostgreSQL answers at ${address} and DATABASE_URL is not set: starting an embedded PostgreSQL (data in ${dataDir})`,
    );
    const embedded = await EmbeddedPostgres.start(dataDir);
    return {
      // pglite-socket queues protocol messages, not queries: outside a transaction block the
      // Parse/Bind/Execute of two connections can interleave, and a Bind then runs the other
      // one's statement (rows in the wrong table; docs/demo-stores.md). So one connection, which
      // costs nothing: PGlite runs one query at a time anyway.
      env: { DATABASE_URL: embedded.url, DATABASE_POOL_MAX: '1' },
      summary: `embedded PostgreSQL (PGlite, in this process), data kept in ${dataDir}; set DATABASE_URL to use your own`,
      embedded,
    };
  }
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_DATABASE]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${DEMO_DATABASE}`).catch((error: unknown) => {
        // Another demo starting at the same moment created it.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  // A socket directory goes into the URL's host percent-encoded; the password stays in PGPASSWORD.
  const hostInUrl = host.startsWith('/') ? encodeURIComponent(host) : host.includes(':') ? `[${host}]` : host;
  return {
    env: { DATABASE_URL: `postgres://${encodeURIComponent(user)}@${hostInUrl}:${port}/${DEMO_DATABASE}` },
    summary: `PostgreSQL at ${address}, database ${DEMO_DATABASE}`,
  };
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) served on a loopback port through
 * pglite-socket, so `pg`, the migrations and every repository run on it unchanged.
 */
export class EmbeddedPostgres {
  private constructor(
    readonly dataDir: string,
    readonly url: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const lockFile = `${dataDir}.lock`;
    takeLock(lockFile, dataDir);
    try {
      // Loaded only here: a process with a PostgreSQL server never pays for the WebAssembly build.
      const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
        import('@electric-sql/pglite'),
        import('@electric-sql/pglite-socket'),
      ]);
      const db = await PGlite.create({ dataDir });
      // Room for the pool's connection plus one being replaced; the pool itself uses one.
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
      await server.start();
      return new EmbeddedPostgres(
        dataDir,
        `postgres://postgres@${server.getServerConn()}/postgres`,
        db,
        server,
        lockFile,
      );
    } catch (error) {
      unlinkSync(lockFile);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    unlinkSync(this.lockFile);
  }
}

/** PGlite does not lock its data directory, and two processes writing one corrupt it. */
function takeLock(lockFile: string, dataDir: string): void {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(readFileSync(lockFile, 'utf8').trim());
  if (holder > 0 && holder !== process.pid && isRunning(holder)) {
    throw new Error(
      `The embedded PostgreSQL data in ${dataDir} is in use by process ${holder}: stop that demo, or give this one another --state-dir`,
    );
  }
  // Left by a process that died: take it over.
  writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
