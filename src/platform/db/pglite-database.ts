/**
 * The embedded database (PGlite). Loaded by `database.ts` only when the configuration names it, so a process on
 * PostgreSQL never holds PGlite's module in memory.
 */
import { dirname } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { ensurePrivateFolder } from '../private-folder.ts';
import { ConnectionWatch } from './connection-watch.ts';
import { DataFolderImage } from './data-folder-image.ts';
import type { Database, MemoryDatabase, SqlExecutor } from './database-types.ts';
import { channelsOf } from './pglite-channels.ts';
import { ConnectionLock, PGliteDialect } from './pglite-dialect.ts';
import { pgliteInstallFiles } from './pglite-install-files.ts';
import { runStatement } from './pglite-statement.ts';
import { DATE_OID, INT8_OID, sameValue } from './result-types.ts';
import type { DB } from './schema.ts';
import { WriteCounter } from './write-counter.ts';

/**
 * PGlite's buffer pool lives in this process's memory and, being WebAssembly memory, is never given back: with
 * PostgreSQL's default of 128 MB a large tracking list filled all of it, and the process kept it. The data folder
 * is on disk, so pages outside the pool come from the operating system's file cache, which is not this process's
 * memory and which the system reclaims when it needs to. 32 MB holds the pages a chunk of issuing touches.
 */
const DISK_START_PARAMS = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=32MB',
  // A new 16 MB WAL file is otherwise written full of zeros, a megabyte at a time, before its first record: with
  // every write a call out of WebAssembly into Node, an eighth of all a 50,000-row list wrote (850 of 6,600 MB).
  // Off, PostgreSQL writes the file's last byte instead, and the file reads as zeros all the same.
  '-c',
  'wal_init_zero=off',
];

// Starting PostgreSQL clears its whole shared memory, and that was a quarter of what starting an in-memory PGlite
// cost (2026-12-06, profiled over 36 starts of the seeded test database: 75 ms of 0.33 CPU-s each). The memory is
// mostly the buffer pool and what PostgreSQL keeps per possible connection; PGlite is one connection, and an
// in-memory database's pages are already in memory, so a page outside a small pool is a copy away. 2 MB and 8
// connections cut the clearing to 18 ms a start; the tests that hold the most data (tracking lists of 11,000 rows,
// 2,000 learners' progress) used no more CPU with them (54.3–54.8 CPU-s against 55.8–60.2, alternating runs).
const MEMORY_START_PARAMS = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=2MB',
  '-c',
  'max_connections=8',
];

/** A channel's name as an SQL identifier, quoted as PostgreSQL reads one. */
const quotedName = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

/** PGlite with its data folder on disk, as `npm start` runs without DATABASE_URL. */
export async function openDiskPglite(dataDir: string): Promise<Database> {
  return databaseOn(await startPglite(dataDir, undefined, DISK_START_PARAMS), endPglite);
}

/** An in-memory PGlite, empty or a copy of a snapshot (see `openMemoryDatabase`). */
export async function openMemoryPglite(snapshot?: Blob): Promise<MemoryDatabase> {
  return memoryDatabaseOn(await startMemoryPglite(snapshot));
}

/** Starts an in-memory PGlite, empty or a copy of a snapshot, for `memoryDatabaseOn`. */
export function startMemoryPglite(snapshot?: Blob): Promise<PGlite> {
  return startPglite(undefined, snapshot, MEMORY_START_PARAMS);
}

/**
 * The database handle over an in-memory PGlite. Closing it ends the PGlite, unless `giveBack` says otherwise: the
 * tests lend one instance to file after file (test/support/pglite-pool.ts), and take it back instead.
 */
export function memoryDatabaseOn(pglite: PGlite, giveBack = endPglite): MemoryDatabase {
  return { ...databaseOn(pglite, giveBack), snapshot: () => pglite.dumpDataDir('none') };
}

async function endPglite(pglite: PGlite): Promise<void> {
  if (!pglite.closed) await pglite.close();
}

async function startPglite(
  dataDir: string | undefined,
  snapshot?: Blob,
  startParams?: string[],
): Promise<PGlite> {
  if (dataDir) {
    // The data folder (the parent) and the database's own folder are private to the account running the app.
    ensurePrivateFolder(dirname(dataDir));
    ensurePrivateFolder(dataDir);
  }
  return PGlite.create(dataDir ?? 'memory://', {
    parsers: {
      [INT8_OID]: (v: string) => Number(v),
      [DATE_OID]: sameValue,
      [pgliteTypes.NUMERIC]: sameValue,
    },
    // An image already in memory fills a memory file system directly, far cheaper than PGlite's loader.
    ...(snapshot instanceof DataFolderImage && !dataDir
      ? { fs: snapshot.memoryFilesystem() }
      : snapshot
        ? { loadDataDir: snapshot }
        : {}),
    ...(startParams ? { startParams } : {}),
    // A process starts one database on disk, but may start hundreds in memory (tests, benchmarks).
    ...(dataDir ? {} : { fsBundle: pgliteInstallFiles() }),
  });
}

/** The handle over a started PGlite; `giveBack` is what closing it does with the instance. */
function databaseOn(pglite: PGlite, giveBack: (pglite: PGlite) => Promise<void>): Database {
  // Once closed, the handle runs nothing more, even when the instance lives on (lent to another user), and says so
  // as PGlite does of a closed instance, which `isConnectionFailure` knows.
  let ended: Promise<void> | undefined;
  const refuseWhenEnded = () => {
    if (ended) throw new Error('PGlite is closed (this handle was closed)');
  };
  const end = () => {
    ended ??= giveBack(pglite);
    return ended;
  };
  const lock = new ConnectionLock();
  const writes = new WriteCounter();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, lock, end), plugins: [writes] });
  const jobExecutor: SqlExecutor = {
    executeSql: (text, values) =>
      lock.run(async () => {
        refuseWhenEnded();
        if (values && values.length > 0) return await runStatement(pglite, text, values);
        // pg-boss sends multi-statement scripts without values; only exec() runs those.
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }),
  };
  const database: Database = {
    kind: 'pglite',
    db,
    jobExecutor,
    connection: new ConnectionWatch(),
    writes,
    // PGlite is one session: LISTEN (and UNLISTEN) take the connection like any statement, or they would join
    // whatever transaction holds it and vanish with its rollback. Notifications arrive with the statement that
    // commits them, and `runStatement` hands them to the channels. The session never drops, so the listener never
    // has to resume.
    async listen(channel, listener) {
      const channels = channelsOf(pglite);
      const hear = (payload: string) => listener.heard(payload);
      const name = quotedName(channel);
      await lock.run(async () => {
        refuseWhenEnded();
        if (!channels.add(channel, hear)) return;
        try {
          await runStatement(pglite, `listen ${name}`, []);
        } catch (error) {
          channels.remove(channel, hear);
          throw error;
        }
      });
      return async () => {
        if (ended || pglite.closed) {
          channels.remove(channel, hear);
          return;
        }
        await lock.run(async () => {
          if (channels.remove(channel, hear) && !pglite.closed)
            await runStatement(pglite, `unlisten ${name}`, []);
        });
      };
    },
    async close() {
      await db.destroy();
      // Kysely starts its driver on the first query and stops only a started one: a database nobody queried would
      // keep its PostgreSQL (and the process) alive.
      await end();
    },
  };
  return database;
}
