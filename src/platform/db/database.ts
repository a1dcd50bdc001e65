import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { type DatabaseTarget, DEFAULT_POOL_SIZE } from '../config.ts';
import { ConnectionWatch } from './connection-watch.ts';
import { answeringCopyIn } from './copy-in.ts';
import type { Database, Db, MemoryDatabase, SqlExecutor } from './database-types.ts';
import { patientExecutor } from './patient-executor.ts';
import { PostgresListener } from './postgres-listener.ts';
import { DATE_OID, INT8_OID, sameValue } from './result-types.ts';
import type { DB } from './schema.ts';
import { WriteCounter } from './write-counter.ts';

// The handle's types have a file of their own (database-types.ts), which the drivers below import without importing
// this file that opens them.
export type { ChannelListener, Database, Db, MemoryDatabase, SqlExecutor, Tx } from './database-types.ts';

/**
 * Opens the database named by the configuration. PGlite's module is loaded only here, when it is the database:
 * a process on PostgreSQL would otherwise carry it for nothing.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite'
    ? (await import('./pglite-database.ts')).openDiskPglite(target.dataDir)
    : openPostgres(target.url, target.poolSize ?? DEFAULT_POOL_SIZE);
}

/**
 * An in-memory PGlite, for tests and benchmarks: empty, or a copy of a `snapshot()` (which skips initdb, the
 * slowest part of starting one); a snapshot held as a `DataFolderImage` starts fastest.
 */
export async function openMemoryDatabase(snapshot?: Blob): Promise<MemoryDatabase> {
  return (await import('./pglite-database.ts')).openMemoryPglite(snapshot);
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
    connect: () => {
      const startedAt = ConnectionWatch.now();
      return pool.connect().then(answeringCopyIn, (error: unknown) => {
        connection.noteFailure(error, startedAt);
        throw error;
      });
    },
    end: () => pool.end(),
  };
  const writes = new WriteCounter();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: noticedPool }), plugins: [writes] });
  const listeners = new Set<PostgresListener>();
  return {
    kind: 'postgres',
    db,
    jobExecutor,
    connection,
    writes,
    async listen(channel, listener) {
      const target = { url, connectTimeoutMs: CONNECT_TIMEOUT_MS, watch: connection };
      const started = await PostgresListener.start(target, channel, listener);
      listeners.add(started);
      return async () => {
        listeners.delete(started);
        await started.stop();
      };
    },
    async close() {
      for (const listener of listeners) await listener.stop();
      listeners.clear();
      jobExecutor.close();
      await jobPool.end();
      await db.destroy();
    },
  };
}

/** A client that remembers when the pool made it, which is when its connection attempt began. */
class TimedClient extends pg.Client {
  readonly startedAt = ConnectionWatch.now();
}

/** A pool whose connections report an outage to `connection` instead of ending the process. */
function watchedPool(url: string, max: number, connection: ConnectionWatch): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    Client: TimedClient,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return (v: string) => Number(v);
        if (oid === DATE_OID) return sameValue;
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
    // A connection begun before an outage was noted says nothing about the server now (connection-watch.ts).
    if (client instanceof TimedClient) connection.noteSuccess(client.startedAt);
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
