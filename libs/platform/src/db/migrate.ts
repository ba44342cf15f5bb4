import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client, type ClientBase } from 'pg';

/** Migrations live beside the sources; compiled code finds them from dist/ too. */
export function migrationsDir(): string {
  const candidates = [
    join(__dirname, '..', '..', 'migrations'),
    join(__dirname, '..', '..', '..', '..', '..', 'libs', 'platform', 'migrations'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`Migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * The session setting the migrations read to choose the TimescaleDB or the plain branch:
 * `on` or `off`, set from the probe. Unset (SQL run by other tools) they try the extension
 * themselves.
 */
export const TIMESCALEDB_SETTING = 'homeward.timescaledb';

/**
 * Tries TimescaleDB on the probe's connection, inside a transaction that is rolled back.
 * Resolves false when the extension is not installed; throws when it cannot be used.
 */
export type TimescaleAttempt = (client: ClientBase) => Promise<boolean>;

export const createTimescaleDb: TimescaleAttempt = async (client) => {
  const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
  if (available.rowCount === 0) return false;
  await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return true;
};

export interface TimescaleProbeResult {
  usable: boolean;
  reason: string;
}

/**
 * Whether the migrations can use TimescaleDB, decided on a throwaway connection. A server with
 * the extension installed but not preloaded answers `CREATE EXTENSION` with FATAL and closes the
 * connection (reproduced with TimescaleDB 2.28.3 on PostgreSQL 15); no EXCEPTION block survives
 * that, so the migration's own connection must never be the one to try.
 */
export async function probeTimescaleDb(
  databaseUrl: string,
  attempt: TimescaleAttempt = createTimescaleDb,
): Promise<TimescaleProbeResult> {
  const client = new Client({ connectionString: databaseUrl });
  // A terminated connection also emits 'error'; unheard, it would crash the process.
  client.on('error', () => undefined);
  // Failing to connect is not an answer about the extension: let it fail the migration.
  await client.connect();
  try {
    await client.query('BEGIN');
    const installed = await attempt(client);
    await client.query('ROLLBACK');
    return installed
      ? { usable: true, reason: 'CREATE EXTENSION timescaledb succeeds' }
      : { usable: false, reason: 'the timescaledb extension is not installed' };
  } catch (error) {
    return { usable: false, reason: `timescaledb cannot be used (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface MigrationOptions {
  /** Replaces the probe's extension attempt; tests use it to reproduce a FATAL. */
  timescaleAttempt?: TimescaleAttempt;
}

/**
 * Applies pending migrations. node-pg-migrate takes an advisory lock, so several processes
 * starting at once apply each migration exactly once. TimescaleDB is probed first on a
 * connection of its own, and the migrations follow the probe through `homeward.timescaledb`.
 */
export async function runMigrations(
  databaseUrl: string,
  log: (message: string) => void = () => undefined,
  options: MigrationOptions = {},
): Promise<string[]> {
  const probe = await probeTimescaleDb(databaseUrl, options.timescaleAttempt);
  log(`TimescaleDB ${probe.usable ? 'in use' : 'not in use'}: ${probe.reason}`);

  const client = new Client({ connectionString: databaseUrl });
  let connectionError: Error | undefined;
  // The pending query fails too and rejects the runner; this only keeps the event handled.
  client.on('error', (error) => {
    connectionError = error;
  });
  await client.connect();
  try {
    await client.query('SELECT set_config($1, $2, false)', [
      TIMESCALEDB_SETTING,
      probe.usable ? 'on' : 'off',
    ]);
    const applied = await runner({
      dbClient: client,
      dir: migrationsDir(),
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      singleTransaction: true,
      checkOrder: true,
      log,
      noLock: false,
    });
    return applied.map((migration) => migration.name);
  } catch (error) {
    if (connectionError) log(`Migration connection lost: ${connectionError.message}`);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
