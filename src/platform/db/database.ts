import { dirname } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool, type Transaction } from 'kysely';
import pg from 'pg';
import { type DatabaseTarget, DEFAULT_POOL_SIZE } from '../config.ts';
import { ensurePrivateFolder } from '../private-folder.ts';
import { ConnectionWatch } from './connection-watch.ts';
import { answeringCopyIn } from './copy-in.ts';
import { DataFolderImage } from './data-folder-image.ts';
import { patientExecutor } from './patient-executor.ts';
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
  /** For pg-boss: the shared connection (PGlite), or a small pool of its own that waits out outages (PostgreSQL). */
  readonly jobExecutor: SqlExecutor;
  /** When the database was lost and regained; PGlite lives in this process and is never lost. */
  readonly connection: ConnectionWatch;
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
  return target.kind === 'pglite'
    ? (await openPglite(target.dataDir, undefined, DISK_START_PARAMS)).database
    : openPostgres(target.url, target.poolSize ?? DEFAULT_POOL_SIZE);
}

/**
 * PGlite's buffer pool lives in this process's memory and, being WebAssembly memory, is never given back: with
 * PostgreSQL's default of 128 MB a large tracking list filled all of it, and the process kept it. The data folder
 * is on disk, so pages outside the pool come from the operating system's file cache, which is not this process's
 * memory and which the system reclaims when it needs to. 32 MB holds the pages a chunk of issuing touches.
 */
const DISK_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** An in-memory PGlite that can also write out its whole data folder, so tests can start from a copy of it. */
export interface MemoryDatabase extends Database {
  /** The data folder as an uncompressed tarball, for `openMemoryDatabase(snapshot)`. */
  snapshot(): Promise<Blob>;
}

/**
 * An in-memory PGlite, for tests and benchmarks: empty, or a copy of a `snapshot()` (which skips initdb, the
 * slowest part of starting one); a snapshot held as a `DataFolderImage` starts fastest.
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
    // An image already in memory fills a memory file system directly, far cheaper than PGlite's loader.
    ...(snapshot instanceof DataFolderImage && !dataDir
      ? { fs: snapshot.memoryFilesystem() }
      : snapshot
        ? { loadDataDir: snapshot }
        : {}),
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
    connection: new ConnectionWatch(),
    writes,
    close: () => db.destroy(),
  };
  return { database, pglite };
}

/**
 * How long to wait for a new connection. Without a limit a request made while the server is unreachable (not
 * refusing: gone from the network) would hang until the operating system gives up, minutes later.
 */
const CONNECT_TIMEOUT_MS = 5_000;

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const connection = new ConnectionWatch();
  const pool = watchedPool(url, poolSize, connection);
  const jobPool = watchedPool(url, 4, connection);
  const jobExecutor = patientExecutor(jobPool, connection);
  // A connection that cannot be had (the server refuses, or the timeout passes) is the first sign of an outage
  // when the pool holds no idle connection to lose. Each client also answers `copyIn` (copy-in.ts).
  const noticedPool: PostgresPool = {
    connect: () =>
      pool.connect().then(answeringCopyIn, (error: unknown) => {
        connection.noteFailure(error);
        throw error;
      }),
    end: () => pool.end(),
  };
  const writes = new WriteCounter();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: noticedPool }), plugins: [writes] });
  return {
    kind: 'postgres',
    db,
    jobExecutor,
    connection,
    writes,
    async close() {
      jobExecutor.close();
      await jobPool.end();
      await db.destroy();
    },
  };
}

/** A pool whose connections report an outage to `connection` instead of ending the process. */
function watchedPool(url: string, max: number, connection: ConnectionWatch): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v);
        if (oid === DATE) return sameValue;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a failover, a network cut) is an 'error' event on the pool;
  // unheard, Node would end the process. The pool has already discarded that client and the next query opens a
  // fresh one, so the outage only needs noting.
  pool.on('error', (error) => connection.noteFailure(error));
  pool.on('connect', (client) => {
    // A connection in use (a transaction between two statements, say) is not the pool's to listen to: when the
    // server goes away the client emits 'error' itself, and unheard that ends the process. The statement in
    // progress, if any, fails on its own and its caller sees that; here the outage is only noted.
    client.on('error', (error) => connection.noteFailure(error));
    connection.noteSuccess();
  });
  return pool;
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
