import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import ts from 'typescript';
import { TEST_POSTGRES_URL } from '@homeward/testing';
import { migrationsDir, runMigrations, type TimescaleAttempt } from './migrate';

/**
 * Stands in for `CREATE EXTENSION timescaledb` on a server where the extension is installed but
 * not in `shared_preload_libraries`: the backend answers FATAL and closes the connection.
 */
const fatalLikeUnpreloadedTimescaleDb: TimescaleAttempt = async (client) => {
  // The socket may close before the caller sees the error: wait for that, the harder case.
  const closed = new Promise((resolve) => client.once('end', resolve));
  try {
    await client.query('SELECT pg_terminate_backend(pg_backend_pid())');
  } catch (error) {
    await closed;
    throw error;
  }
  return true;
};

function urlOf(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function inDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const allMigrations = readdirSync(migrationsDir())
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();

describe('runMigrations against PostgreSQL', () => {
  let name: string;
  let url: string;

  beforeEach(async () => {
    name = `homeward_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
    url = urlOf(name);
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
  });

  afterEach(async () => {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('migrates an empty database to a plain readings table with a BRIN index', async () => {
    const messages: string[] = [];
    const applied = await runMigrations(url, (message) => messages.push(message));

    expect(applied).toEqual(allMigrations);
    expect(messages).toContain('TimescaleDB not in use: the timescaledb extension is not installed');
    await inDatabase(url, async (client) => {
      const brin = await client.query(
        "SELECT 1 FROM pg_indexes WHERE tablename = 'readings' AND indexname = 'readings_measured_at_brin'",
      );
      expect(brin.rowCount).toBe(1);
    });
    expect(await runMigrations(url)).toEqual([]);
  });

  it('completes on the plain table when trying TimescaleDB kills the probe connection', async () => {
    const messages: string[] = [];
    const applied = await runMigrations(url, (message) => messages.push(message), {
      timescaleAttempt: fatalLikeUnpreloadedTimescaleDb,
    });
    expect(applied).toEqual(allMigrations);
    expect(messages.find((message) => message.startsWith('TimescaleDB not in use'))).toMatch(
      /timescaledb cannot be used \(terminating connection due to administrator command\)/,
    );
    await inDatabase(url, async (client) => {
      const readings = await client.query(
        "SELECT 1 FROM pg_indexes WHERE tablename = 'readings' AND indexname = 'readings_measured_at_brin'",
      );
      expect(readings.rowCount).toBe(1);
      const migrations = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pgmigrations');
      expect(migrations.rows[0].n).toBe(allMigrations.length);
    });
  });

  // Jest keeps a test alive through an unhandled 'error' event, so this runs the probe in a
  // plain Node process, where such an event ends the process.
  it('survives, in a process of its own, a probe connection the server kills', () => {
    const out = mkdtempSync(join(tmpdir(), 'homeward-probe-'));
    try {
      const source = readFileSync(join(__dirname, 'migrate.ts'), 'utf8');
      const compiled = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(out, 'migrate.js'), compiled.outputText);
      const script = `
        const { probeTimescaleDb } = require('./migrate.js');
        probeTimescaleDb(process.argv[1], async (client) => {
          const closed = new Promise((resolve) => client.once('end', resolve));
          try {
            await client.query('SELECT pg_terminate_backend(pg_backend_pid())');
          } catch (error) {
            await closed;
            throw error;
          }
          return true;
        }).then((result) => setTimeout(() => process.stdout.write(JSON.stringify(result)), 300));
      `;
      const child = spawnSync(process.execPath, ['-e', script, url], {
        cwd: out,
        env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', '..', '..', 'node_modules') },
        encoding: 'utf8',
        timeout: 30_000,
      });

      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(JSON.parse(child.stdout)).toMatchObject({ usable: false });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails loudly, rather than choosing the plain table, when the server cannot be reached', async () => {
    const unreachable = new URL(url);
    unreachable.port = '1';
    await expect(runMigrations(unreachable.toString())).rejects.toThrow();
  });
});
