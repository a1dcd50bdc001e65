import { dirname } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import { ensurePrivateFolder } from '../private-folder.ts';
import { ConnectionLock, PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';
import { WriteCounter } from './write-counter.ts';

/** What pg-boss needs to run SQL: one function, so it can share our connection (or a transaction). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The application's database handle, the same shape on PGlite and PostgreSQL. */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Kysely<DB>;
  /** For pg-boss: a shared executor (PGlite) or undefined, meaning pg-boss opens its own pool (PostgreSQL). */
  readonly jobExecutor: SqlExecutor | undefined;
  readonly connectionString: string | undefined;
  /** Counts this process's writes, for caches that must let go when the data changes. */
  readonly writes: WriteCounter;
  close(): Promise<void>;
}

export type Tx = Transaction<DB>;
export type Db = Kysely<DB> | Tx;

// Both backends return the same JavaScript values: bigint counts as numbers, calendar dates as 'YYYY-MM-DD'.
const INT8 = 20;
const DATE = 1082;
const sameValue = (value: string) => value;

/** Opens the database named by the configuration. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? (await openPglite(target.dataDir)).database : openPostgres(target.url);
}

/** An in-memory PGlite that can also write out its whole data folder, so tests can start from a copy of it. */
export interface MemoryDatabase extends Database {
  /** The data folder as an uncompressed tarball, for `openMemoryDatabase(snapshot)`. */
  snapshot(): Promise<Blob>;
}

/**
 * An in-memory PGlite, for tests and benchmarks: empty, or a copy of a `snapshot()` (which skips initdb, the
 * slowest part of starting one).
 */
export async function openMemoryDatabase(snapshot?: Blob): Promise<MemoryDatabase> {
  const { database, pglite } = await openPglite(undefined, snapshot, MEMORY_START_PARAMS);
  return { ...database, snapshot: () => pglite.dumpDataDir('none') };
}

// Clearing PostgreSQL's default 128 MB buffer pool is nearly half of what starting an in-memory PGlite costs, and
// a test's or a benchmark's data already lives in memory; 16 MB holds their working set.
const MEMORY_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(
  dataDir: string | undefined,
  snapshot?: Blob,
  startParams?: string[],
): Promise<{ database: Database; pglite: PGlite }> {
  if (dataDir) {
    // The data folder (the parent) and the database's own folder are private to the account running the app.
    ensurePrivateFolder(dirname(dataDir));
    ensurePrivateFolder(dataDir);
  }
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: sameValue, [pgliteTypes.NUMERIC]: sameValue },
    ...(snapshot ? { loadDataDir: snapshot } : {}),
    ...(startParams ? { startParams } : {}),
  });
  const lock = new ConnectionLock();
  const writes = new WriteCounter();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, lock), plugins: [writes] });
  const jobExecutor: SqlExecutor = {
    async executeSql(text, values) {
      const release = await lock.acquire();
      try {
        if (values && values.length > 0) return await pglite.query(text, values);
        // pg-boss sends multi-statement scripts without values; only exec() runs those.
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      } finally {
        release();
      }
    },
  };
  const database: Database = {
    kind: 'pglite',
    db,
    jobExecutor,
    connectionString: undefined,
    writes,
    close: () => db.destroy(),
  };
  return { database, pglite };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v);
        if (oid === DATE) return sameValue;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a failover, a dropped test database) is an 'error' event on the
  // pool; unheard, Node would end the process. The pool has already discarded that client, and the next query
  // opens a fresh one, so there is nothing more to do.
  pool.on('error', () => undefined);
  const writes = new WriteCounter();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [writes] });
  return {
    kind: 'postgres',
    db,
    jobExecutor: undefined,
    connectionString: url,
    writes,
    close: () => db.destroy(),
  };
}

/** An executor bound to an open transaction, so a job sent with it commits or rolls back with the transaction. */
export function executorFor(trx: Db): SqlExecutor {
  return {
    async executeSql(text, values) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}
