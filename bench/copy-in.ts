import { once } from 'node:events';
import type { ClientBase, Connection, Submittable } from 'pg';

/** The copy-in half of pg's Connection, which @types/pg does not declare. */
type CopyConnection = Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
};

/**
 * `COPY ... FROM STDIN` through pg's own connection (pg-copy-streams is not a dependency): a
 * Submittable, as pg-copy-streams is, that answers the server's CopyInResponse with `chunks`
 * (text-format rows), waiting for the socket to drain between chunks.
 */
class CopyFromStdin implements Submittable {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private rows = 0;
  private failed = false;

  constructor(
    private readonly sql: string,
    private readonly chunks: AsyncIterable<string> | Iterable<string>,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: Connection): void {
    connection.query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection);
  }

  handleCommandComplete(message: { text: string }): void {
    this.rows = Number(/^COPY (\d+)/.exec(message.text)?.[1] ?? 0);
  }

  // pg forgets the query once it reports an error: no ReadyForQuery reaches it afterwards.
  handleError(error: Error): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.rows);
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of this.chunks) {
        if (this.failed) return;
        connection.sendCopyFromChunk(Buffer.from(chunk));
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }
}

/** Streams `chunks` into `COPY <sql> FROM STDIN` on `client`; resolves with the rows copied. */
export function copyFrom(
  client: ClientBase,
  sql: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<number> {
  const copy = new CopyFromStdin(sql, chunks);
  client.query(copy);
  return copy.done;
}
