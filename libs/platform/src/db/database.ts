import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { DatabaseSession, scopedTransactionPreamble } from './database-session';

/** Anything a repository method can run a query on: the pool or a transaction's client. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface DatabaseOptions {
  connectionString: string;
  max: number;
  applicationName: string;
  onError: (error: Error) => void;
  /** The settings bound to the work in progress; a query made under settings runs scoped. */
  session?: DatabaseSession;
}

/**
 * The one pool of a process, with the session settings every connection gets. Work bound to a
 * patient scope (`DatabaseSession`) runs each query and transaction under row-level security:
 * in a transaction that first switches to the scoped role and sets the scope.
 */
export class Database implements Queryable {
  readonly pool: Pool;
  readonly session: DatabaseSession;
  private readonly onError: (error: Error) => void;

  constructor(options: DatabaseOptions) {
    this.onError = options.onError;
    this.session = options.session ?? new DatabaseSession();
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.max,
      application_name: options.applicationName,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client's connection dropping (PostgreSQL restart) emits on the pool; without a
    // listener that is an uncaught exception that kills the process.
    this.pool.on('error', options.onError);
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) {
    if (!this.session.current()) return this.pool.query<R>(text, values);
    return this.transaction((client) => client.query<R>(text, values));
  }

  /**
   * Runs `work` in one transaction on one client. A checked-out client is not watched by the
   * pool's listener: a connection terminated while the work runs between statements emits on
   * the client, which without this listener is an uncaught exception (found by terminating
   * backends mid-stream). The broken client is destroyed, not returned to the pool.
   */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
      this.onError(error);
    };
    client.on('error', onError);
    try {
      const settings = this.session.current();
      await client.query(settings ? scopedTransactionPreamble(settings) : 'BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken ??= rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
