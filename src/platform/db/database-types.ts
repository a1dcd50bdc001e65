import type { Kysely, Transaction } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { ConnectionWatch } from './connection-watch.ts';
import type { DB } from './schema.ts';
import type { WriteCounter } from './write-counter.ts';

/** What pg-boss needs to run SQL: one function, so it can share our connection (or a transaction). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Hears one NOTIFY channel (`Database.listen`). */
export interface ChannelListener {
  /** A notification's payload. PostgreSQL delivers it once the sending transaction commits, and never if it rolls back. */
  heard(payload: string): void;
  /** Listening is back after a lost connection: whatever was announced meanwhile went unheard. */
  resumed(): void;
}

/** The application's database handle, the same shape on PGlite and PostgreSQL. */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Kysely<DB>;
  /** For pg-boss: the shared connection (PGlite), or a small pool of its own that waits out outages (PostgreSQL). */
  readonly jobExecutor: SqlExecutor;
  /** When the database was lost and regained; PGlite lives in this process and is never lost. */
  readonly connection: ConnectionWatch;
  /** Counts this process's writes, for caches that must let go when the data changes. */
  readonly writes: WriteCounter;
  /**
   * Listens on a NOTIFY channel (a lower-case SQL identifier) until the returned function is called or the database
   * closes: in this process on PGlite, over a connection of its own on PostgreSQL (`postgres-listener.ts`).
   */
  listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type Tx = Transaction<DB>;
export type Db = Kysely<DB> | Tx;

/** An in-memory PGlite that can also write out its whole data folder, so tests can start from a copy of it. */
export interface MemoryDatabase extends Database {
  /** The data folder as an uncompressed tarball, for `openMemoryDatabase(snapshot)`. */
  snapshot(): Promise<Blob>;
}
